#include "runtime/socket_path.hpp"

#include <fcntl.h>
#include <sys/un.h>
#include <unistd.h>

namespace kinda::runtime {

SocketPath::SocketPath(const std::string& full_path) : address_(full_path) {
  if (full_path.size() < sizeof(sockaddr_un::sun_path)) return;
  auto slash = full_path.rfind('/');
  if (slash == std::string::npos) return;
  dir_fd_ = ::open(full_path.substr(0, slash).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ >= 0) address_ = "/proc/self/fd/" + std::to_string(dir_fd_) + full_path.substr(slash);
}

SocketPath::~SocketPath() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

}  // namespace kinda::runtime
