#include "storage/range_claims.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

namespace kinda::storage {
namespace {

namespace fs = std::filesystem;

// A directory only this user can write: made 0700 when missing, refused when it is a symlink or
// someone else's (/tmp is shared).
bool private_dir(const fs::path& dir) {
  ::mkdir(dir.c_str(), 0700);
  struct stat st {};
  return ::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
         (st.st_mode & 0077) == 0;
}

std::optional<fs::path> claims_dir() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  fs::path base = runtime && *runtime
                      ? fs::path(runtime) / "kinda"
                      : fs::path("/tmp") / ("kinda-ranges-" + std::to_string(::geteuid()));
  if (!private_dir(base)) return std::nullopt;
  fs::path dir = base / "ranges";
  if (!private_dir(dir)) return std::nullopt;
  return dir;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path normal(const fs::path& root) {
  std::error_code ec;
  auto absolute = fs::absolute(root, ec);
  return (ec ? root : absolute).lexically_normal();
}

}  // namespace

std::optional<RangeClaims> RangeClaims::lock() {
  auto dir = claims_dir();
  if (!dir) return std::nullopt;
  int fd = ::open((*dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return std::nullopt;
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd);
      return std::nullopt;
    }
  }
  return RangeClaims(std::move(*dir), fd);
}

RangeClaims::RangeClaims(RangeClaims&& other) noexcept
    : dir_(std::move(other.dir_)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

RangeClaims::~RangeClaims() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

bool RangeClaims::held_elsewhere(int octet, const fs::path& self_root) const {
  const fs::path holder = read_all(dir_ / std::to_string(octet));
  if (holder.empty() || holder == normal(self_root)) return false;
  std::error_code ec;
  if (!fs::is_directory(holder, ec)) return false;  // purged without down --purge: stale
  std::ifstream in(holder / "config.json");         // written under the lock, right after the claim
  if (!in) return false;
  auto config = nlohmann::json::parse(in, nullptr, false);
  return config.is_object() && config.value("podOctet", -1) == octet;
}

void RangeClaims::claim(int octet, const fs::path& self_root) const {
  const fs::path file = dir_ / std::to_string(octet), tmp = dir_ / (std::to_string(octet) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << normal(self_root).string();
    if (!out) return;
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
}

void RangeClaims::release(const fs::path& self_root) const {
  const fs::path self = normal(self_root);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().filename() == ".lock") continue;
    if (fs::path(read_all(entry.path())) == self) fs::remove(entry.path(), ec);
  }
}

void release_range_claims(const fs::path& self_root) {
  if (auto claims = RangeClaims::lock()) claims->release(self_root);
}

}  // namespace kinda::storage
