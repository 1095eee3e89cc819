#include "kubelet/image_catalog.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "kubelet/builtin_images.hpp"

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status write_file(const fs::path& path, std::string_view data, bool executable) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return Error::internal("cannot write " + tmp.string());
  }
  ::chmod(tmp.c_str(), executable ? 0755 : 0644);
  fs::rename(tmp, path, ec);
  if (ec) return Error::internal("cannot write " + path.string() + ": " + ec.message());
  return Ok{};
}

// The embedded files grouped by profile: name → (relative path → data).
std::map<std::string, std::map<std::string, std::string_view>> embedded_profiles() {
  std::map<std::string, std::map<std::string, std::string_view>> out;
  for (const auto& file : builtin_image_files()) {
    auto slash = file.path.find('/');
    if (slash == std::string_view::npos) continue;
    out[std::string(file.path.substr(0, slash))][std::string(file.path.substr(slash + 1))] =
        file.data;
  }
  return out;
}

void add_parsed(const std::string& text, const std::string& name, const fs::path& dir,
                const std::set<std::string>& files, const std::string& origin,
                std::vector<ImageProfile>& out, std::vector<std::string>& problems) {
  auto parsed = parse_image_profile(text, name, dir.string(), files);
  if (!parsed) {
    problems.push_back(origin + " " + parsed.error().message + " (" +
                       (dir / "profile.yaml").string() + ")");
    return;
  }
  parsed->origin = origin;
  out.push_back(std::move(*parsed));
}

}  // namespace

fs::path user_profile_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && xdg[0] == '/')
    return fs::path(xdg) / "kinda" / "images";
  const char* home = std::getenv("HOME");
  return fs::path(home && home[0] ? home : "/root") / ".config" / "kinda" / "images";
}

std::vector<ProfileDirectory> profile_directories(const fs::path& cluster_root) {
  return {{"cluster", cluster_root / "images"}, {"user", user_profile_dir()}};
}

fs::path builtin_profile_dir(const fs::path& cluster_root) {
  return cluster_root / "builtin-images";
}

Status write_builtin_profiles(const fs::path& dir) {
  for (const auto& [name, files] : embedded_profiles()) {
    if (!check_profile_name(name).empty()) continue;
    for (const auto& [path, data] : files)
      if (auto written = write_file(dir / name / path, data, data.starts_with("#!")); !written)
        return written;
  }
  return Ok{};
}

void load_profile_directory(const ProfileDirectory& source, std::vector<ImageProfile>& out,
                            std::vector<std::string>& problems) {
  std::error_code ec;
  if (!fs::is_directory(source.dir, ec)) return;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(source.dir, ec))
    if (entry.is_directory(ec)) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    if (!fs::exists(dir / "profile.yaml", ec)) {
      problems.push_back(source.origin + " image profile \"" + name + "\": no profile.yaml in " +
                         dir.string());
      continue;
    }
    std::set<std::string> files;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      auto relative = fs::relative(it->path(), dir, ec).string();
      if (relative != "profile.yaml") files.insert(relative);
    }
    add_parsed(read_text(dir / "profile.yaml"), name, dir, files, source.origin, out, problems);
  }
}

void load_builtin_profiles(const fs::path& dir, std::vector<ImageProfile>& out,
                           std::vector<std::string>& problems) {
  for (const auto& [name, files] : embedded_profiles()) {
    auto yaml = files.find("profile.yaml");
    if (yaml == files.end()) {
      problems.push_back("built-in image profile \"" + name + "\": no profile.yaml");
      continue;
    }
    std::set<std::string> others;
    for (const auto& [path, data] : files)
      if (path != "profile.yaml") others.insert(path);
    add_parsed(std::string(yaml->second), name, dir / name, others, "built-in", out, problems);
  }
}

ImageCatalog merge_catalog(const ImageMap& configured, std::vector<ImageProfile> profiles,
                           const ImageMap& fallback, const ProgramFinder& find) {
  ImageCatalog catalog;
  catalog.images = configured;
  std::set<std::string> seen;
  for (auto& profile : profiles) {
    if (!seen.insert(profile.name).second) continue;  // replaced by an earlier one of its name
    auto entry = image_entry(profile, find);
    for (const auto& name : profile.names) catalog.images.emplace(name, entry);
    catalog.profiles.push_back(std::move(profile));
  }
  for (const auto& [name, entry] : fallback) catalog.images.emplace(name, entry);
  return catalog;
}

ImageCatalog load_image_catalog(const fs::path& cluster_root, const ImageMap& configured) {
  std::vector<ImageProfile> profiles;
  std::vector<std::string> problems;
  for (const auto& source : profile_directories(cluster_root))
    load_profile_directory(source, profiles, problems);
  load_builtin_profiles(builtin_profile_dir(cluster_root), profiles, problems);
  auto catalog = merge_catalog(configured, std::move(profiles), default_images());
  catalog.problems = std::move(problems);
  return catalog;
}

}  // namespace kinda::kubelet
