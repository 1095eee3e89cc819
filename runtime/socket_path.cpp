#include "runtime/socket_path.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

Result<UniqueFd> connect_unix(const std::string& path) {
  SocketPath short_path(path);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (short_path.address().size() >= sizeof(address.sun_path))
    return Error::internal("socket path too long: " + path);
  std::memcpy(address.sun_path, short_path.address().c_str(), short_path.address().size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return errno_error("socket", errno);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    return errno_error("connect " + path, errno);
  return fd;
}

}  // namespace kinda::runtime
