// kinda images: the image profiles this cluster's daemon would use, in lookup order (config.json,
// the cluster's and the user's profile directories, the built-in ones), which image names each
// answers, and whether the host programs each needs are installed, naming the Debian package
// that provides a missing one. Read from the files, so it works without a running daemon.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/session.hpp"
#include "kubelet/image_catalog.hpp"
#include "kubelet/image_config.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

struct Row {
  std::string name, source, images, ports, programs;
};

std::string joined(const std::vector<std::string>& parts, const std::string& separator = ",") {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// "ok", or each missing program with the package that provides it.
std::string programs_state(const std::vector<kubelet::ProfileProgram>& programs) {
  std::vector<std::string> missing;
  for (const auto& program : programs)
    if (kubelet::find_program(program).empty())
      missing.push_back(program.name + (program.package.empty()
                                            ? ""
                                            : " (apt-get install " + program.package + ")"));
  if (programs.empty()) return "-";
  return missing.empty() ? "installed" : "missing: " + joined(missing, ", ");
}

std::string first_program(const kubelet::ImageEntry& e) {
  const auto& argv = e.entrypoint.empty() ? e.cmd : e.entrypoint;
  return argv.empty() ? "" : argv[0];
}

std::string program_state(const std::string& program) {
  if (program.empty()) return "-";
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? "installed" : "missing: " + program;
  return kubelet::find_program({program, "", {}}).empty() ? "missing: " + program : "installed";
}

void print_table(const std::vector<Row>& rows) {
  std::vector<Row> all = {{"NAME", "SOURCE", "IMAGES", "PORTS", "PROGRAMS"}};
  all.insert(all.end(), rows.begin(), rows.end());
  size_t w[4] = {0, 0, 0, 0};
  for (const auto& r : all) {
    w[0] = std::max(w[0], r.name.size());
    w[1] = std::max(w[1], r.source.size());
    w[2] = std::max(w[2], r.images.size());
    w[3] = std::max(w[3], r.ports.size());
  }
  auto pad = [](const std::string& s, size_t width) {
    return s + std::string(width - s.size() + 3, ' ');
  };
  for (const auto& r : all)
    std::cout << pad(r.name, w[0]) << pad(r.source, w[1]) << pad(r.images, w[2])
              << pad(r.ports, w[3]) << r.programs << "\n";
}

void run_images(const GlobalOptions& global) {
  auto paths = storage::cluster_paths(global.cluster);
  if (!paths) fail(paths.error());
  kubelet::ImageMap configured;
  if (std::ifstream in(paths->config()); in) {
    auto j = json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("images"))
      configured = kubelet::images_from_config(j["images"]);
  }
  std::vector<kubelet::ImageProfile> profiles;
  std::vector<std::string> problems;
  for (const auto& source : kubelet::profile_directories(paths->root))
    kubelet::load_profile_directory(source, profiles, problems);
  kubelet::load_builtin_profiles(kubelet::builtin_profile_dir(paths->root), profiles, problems);
  auto catalog = kubelet::merge_catalog(configured, profiles, kubelet::default_images());

  std::vector<Row> rows;
  for (const auto& [name, entry] : configured)
    rows.push_back({name, "config.json", name, "-", program_state(first_program(entry))});
  for (const auto& p : catalog.profiles) {
    // Names an earlier source already answers are not this profile's any more.
    std::vector<std::string> answered;
    for (const auto& n : p.names)
      if (auto* e = kubelet::find_image(catalog.images, n);
          e && e->profile == p.name && !configured.count(n))
        answered.push_back(n);
    rows.push_back({p.name, p.origin, answered.empty() ? "(shadowed)" : joined(answered),
                    p.ports.empty() ? "-" : joined(p.ports), programs_state(p.programs)});
  }
  for (const auto& [name, entry] : kubelet::default_images())
    if (auto* e = kubelet::find_image(catalog.images, name);
        e && e->profile.empty() && !configured.count(name))
      rows.push_back({name, "default", name, "-", program_state(first_program(entry))});
  print_table(rows);
  for (const auto& problem : problems) std::cout << "not loaded: " << problem << "\n";
  std::cout << "Profiles are looked up in " << paths->config().string() << " (\"images\"), then ";
  auto dirs = kubelet::profile_directories(paths->root);
  for (const auto& d : dirs) std::cout << d.dir.string() << "/, ";
  std::cout << "then the built-in ones; the daemon reads them when it starts.\n";
}

}  // namespace

void register_images(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "images", "List the image profiles (what each image name runs) and their host programs");
  cmd->callback([&global] { run_images(global); });
}

}  // namespace kinda::cli
