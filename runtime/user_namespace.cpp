#include "runtime/user_namespace.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace kinda::runtime {
namespace {

// Returns false with errno set; a missing file is success when it is optional (setgroups, before
// Linux 3.19).
bool write_proc_file(const char* path, const char* text, bool optional) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return optional && errno == ENOENT;
  const size_t length = std::strlen(text);
  const bool written = ::write(fd, text, length) == static_cast<ssize_t>(length);
  const int err = errno;
  ::close(fd);
  errno = err;
  return written;
}

}  // namespace

IdMaps own_id_maps() {
  const std::string uid = std::to_string(::geteuid());
  const std::string gid = std::to_string(::getegid());
  return {uid + " " + uid + " 1\n", gid + " " + gid + " 1\n"};
}

const char* enter_user_namespace(const IdMaps& maps) {
  if (::unshare(CLONE_NEWUSER) != 0) return "unshare a user namespace";
  if (!write_proc_file("/proc/self/setgroups", "deny", true)) return "write /proc/self/setgroups";
  if (!write_proc_file("/proc/self/uid_map", maps.uid_map.c_str(), false)) {
    return "write /proc/self/uid_map";
  }
  if (!write_proc_file("/proc/self/gid_map", maps.gid_map.c_str(), false)) {
    return "write /proc/self/gid_map";
  }
  return nullptr;
}

bool id_mapped(const std::string& id_map, unsigned id) {
  std::istringstream lines(id_map);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    unsigned long inside = 0, outside = 0, count = 0;
    if (fields >> inside >> outside >> count && id >= inside && id - inside < count) return true;
  }
  return false;
}

}  // namespace kinda::runtime
