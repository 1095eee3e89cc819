// A Unix socket address for a path of any length: sun_path holds only 108 bytes, but a deep
// KINDA_HOME plus a 63-character namespace and a 253-character pod name can be far longer. The
// socket's directory is opened and the address names it through /proc/self/fd/<n>/, which the
// kernel resolves like any path; the directory stays open for as long as the object lives.
#pragma once

#include <string>

#include "api/error.hpp"
#include "runtime/syscall.hpp"

namespace kinda::runtime {

class SocketPath {
 public:
  explicit SocketPath(const std::string& full_path);
  ~SocketPath();
  SocketPath(const SocketPath&) = delete;
  SocketPath& operator=(const SocketPath&) = delete;

  // What to pass to bind/connect: the full path when it fits, else the /proc/self/fd form.
  const std::string& address() const { return address_; }

 private:
  int dir_fd_ = -1;
  std::string address_;
};

// A blocking, close-on-exec stream connection to the Unix socket at `path` (of any length).
Result<UniqueFd> connect_unix(const std::string& path);

}  // namespace kinda::runtime
