#include "kubelet/volumes/atomic_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;

constexpr const char* kData = "..data";
constexpr const char* kDataTmp = "..data_tmp";

Error errno_failure(const std::string& what, int err) {
  return Error::internal(what + ": " + std::strerror(err));
}

std::string first_component(const std::string& path) {
  return path.substr(0, path.find('/'));
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The timestamped directory `..data` points at, "" when there is none yet.
std::string current_dir_name(const fs::path& dir) {
  std::error_code ec;
  auto target = fs::read_symlink(dir / kData, ec);
  return ec ? "" : target.string();
}

// The kubelet's shouldWritePayload: the same paths with the same contents need no write.
bool same_payload(const fs::path& old_dir, const FileSet& files) {
  std::error_code ec;
  size_t found = 0;
  for (auto it = fs::recursive_directory_iterator(old_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) continue;
    ++found;
    auto relative = fs::relative(it->path(), old_dir, ec).string();
    auto wanted = files.find(relative);
    if (wanted == files.end()) return false;
    auto content = read_file(it->path());
    if (!content || *content != wanted->second.content) return false;
  }
  return !ec && found == files.size();
}

Status write_file(const fs::path& path, const ProjectedFile& file) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_failure("create " + path.string(), errno);
  size_t done = 0;
  while (done < file.content.size()) {
    ssize_t n = ::write(fd, file.content.data() + done, file.content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return errno_failure("write " + path.string(), err);
    }
    done += static_cast<size_t>(n);
  }
  // Not through the umask: the manifest's mode is what the pod sees.
  if (::fchmod(fd, file.mode & 07777) != 0 || ::close(fd) != 0)
    return errno_failure("finish " + path.string(), errno);
  return Ok{};
}

Result<std::string> make_timestamped_dir(const fs::path& dir) {
  static std::mt19937 random(std::random_device{}());
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto name = timestamped_dir_name(now, random() % 1000000000U);
    auto path = dir / name;
    if (::mkdir(path.c_str(), 0755) == 0) {
      ::chmod(path.c_str(), 0755);  // not through the umask either
      return name;
    }
    if (errno != EEXIST) return errno_failure("create " + path.string(), errno);
  }
  return Error::internal("cannot name a new directory in " + dir.string());
}

}  // namespace

std::string timestamped_dir_name(long long epoch_seconds, unsigned suffix) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "..%Y_%m_%d_%H_%M_%S.", &utc);
  return stamp + std::to_string(suffix);
}

Result<bool> write_atomically(const std::string& dir_name, const FileSet& files,
                              const BeforePublish& before_publish) {
  const fs::path dir(dir_name);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Error::internal("create " + dir_name + ": " + ec.message());
    ::chmod(dir.c_str(), 0777);
  }
  std::set<std::string> visible;
  for (const auto& [path, file] : files) visible.insert(first_component(path));

  const std::string old_name = current_dir_name(dir);
  bool links_in_place = true;
  for (const auto& name : visible)
    if (fs::read_symlink(dir / name, ec) != fs::path(kData) / name) links_in_place = false;
  if (!old_name.empty() && links_in_place && same_payload(dir / old_name, files)) return false;

  auto fresh = make_timestamped_dir(dir);
  if (!fresh) return fresh.error();
  const fs::path fresh_dir = dir / *fresh;
  for (const auto& [path, file] : files) {
    const fs::path target = fresh_dir / path;
    if (target.parent_path() != fresh_dir) {
      fs::create_directories(target.parent_path(), ec);
      // Nested directories as the kubelet makes them, whatever the umask.
      for (auto p = target.parent_path(); p != fresh_dir; p = p.parent_path())
        ::chmod(p.c_str(), 0755);
    }
    if (auto written = write_file(target, file); !written) {
      fs::remove_all(fresh_dir, ec);
      return written.error();
    }
  }
  if (before_publish)
    if (auto prepared = before_publish(fresh_dir.string()); !prepared) {
      fs::remove_all(fresh_dir, ec);
      return prepared.error();
    }

  // The switch itself: one rename replaces the link every entry goes through.
  const fs::path tmp_link = dir / kDataTmp;
  ::unlink(tmp_link.c_str());
  if (::symlink(fresh->c_str(), tmp_link.c_str()) != 0)
    return errno_failure("link " + tmp_link.string(), errno);
  if (::rename(tmp_link.c_str(), (dir / kData).c_str()) != 0)
    return errno_failure("publish " + (dir / kData).string(), errno);

  for (const auto& name : visible) {
    const fs::path link = dir / name;
    const fs::path wanted = fs::path(kData) / name;
    if (fs::read_symlink(link, ec) == wanted) continue;
    ::unlink(link.c_str());
    if (::symlink(wanted.c_str(), link.c_str()) != 0)
      return errno_failure("link " + link.string(), errno);
  }
  // Entries of an older payload, and the directory it lived in.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("..", 0) == 0 || visible.count(name)) continue;
    if (entry.is_symlink(ec)) ::unlink(entry.path().c_str());
  }
  if (!old_name.empty() && old_name != *fresh) fs::remove_all(dir / old_name, ec);
  return true;
}

}  // namespace kinda::kubelet
