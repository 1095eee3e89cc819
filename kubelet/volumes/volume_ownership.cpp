#include "kubelet/volumes/volume_ownership.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kReadWrite = 0660, kReadOnly = 0440, kExec = 0110;

mode_t wanted_bits(bool directory, bool read_only) {
  mode_t mask = read_only ? kReadOnly : kReadWrite;
  if (directory) mask |= S_ISGID | kExec;
  return mask;
}

Status change(const fs::path& path, gid_t fs_group, bool read_only) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0)
    return Error::internal("inspect " + path.string() + ": " + std::strerror(errno));
  if (::lchown(path.c_str(), static_cast<uid_t>(-1), fs_group) != 0)
    return Error::internal("give " + path.string() + " group " + std::to_string(fs_group) + ": " +
                           std::strerror(errno));
  // A symlink's own mode means nothing; what it points at is changed on its own.
  if (S_ISLNK(st.st_mode)) return Ok{};
  mode_t mode = (st.st_mode & 07777) | wanted_bits(S_ISDIR(st.st_mode), read_only);
  if (::chmod(path.c_str(), mode) != 0)
    return Error::internal("chmod " + path.string() + ": " + std::strerror(errno));
  return Ok{};
}

}  // namespace

bool volume_root_matches(const std::string& dir, gid_t fs_group, bool read_only) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return false;
  const mode_t wanted = wanted_bits(S_ISDIR(st.st_mode), read_only);
  return st.st_gid == fs_group && (st.st_mode & wanted) == wanted;
}

Status set_volume_ownership(const std::string& dir, gid_t fs_group, bool read_only,
                            FsGroupChangePolicy policy) {
  if (policy == FsGroupChangePolicy::OnRootMismatch &&
      volume_root_matches(dir, fs_group, read_only))
    return Ok{};
  if (auto root = change(dir, fs_group, read_only); !root) return root;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (auto changed = change(it->path(), fs_group, read_only); !changed) return changed;
  if (ec) return Error::internal("walk " + dir + ": " + ec.message());
  return Ok{};
}

}  // namespace kinda::kubelet
