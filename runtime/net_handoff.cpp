#include "runtime/net_handoff.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/socket_path.hpp"

namespace kinda::runtime {
namespace {

constexpr int kMaxFdsPerMessage = 8;

Result<sockaddr_un> unix_address(const std::string& address) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  if (address.size() >= sizeof un.sun_path)
    return Error::internal("socket path too long: " + address);
  std::memcpy(un.sun_path, address.c_str(), address.size() + 1);
  return un;
}

}  // namespace

Status hand_over_listener(const std::string& socket_path, int listener) {
  UniqueFd sock(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock.valid()) return errno_error("network supervisor: socket", errno);
  SocketPath path(socket_path);
  auto un = unix_address(path.address());
  if (!un) return un.error();
  char byte = 'L';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_name = &*un;
  msg.msg_namelen = sizeof *un;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cm), &listener, sizeof(int));
  ssize_t sent;
  do {
    // Never blocks: a supervisor that has stopped reading fails the start rather than the caller
    // (the daemon's event loop among them).
    sent = ::sendmsg(sock.get(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return errno_error("network supervisor " + socket_path, errno);
  return Ok{};
}

Result<UniqueFd> listen_for_listeners(const std::string& socket_path) {
  UniqueFd sock(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!sock.valid()) return errno_error("network supervisor: socket", errno);
  ::unlink(socket_path.c_str());
  SocketPath path(socket_path);
  auto un = unix_address(path.address());
  if (!un) return un.error();
  if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&*un), sizeof *un) != 0)
    return errno_error("network supervisor: bind " + socket_path, errno);
  ::chmod(socket_path.c_str(), 0600);
  return sock;
}

std::vector<UniqueFd> receive_listeners(int socket) {
  std::vector<UniqueFd> fds;
  char byte;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT) < 0) return fds;
  for (cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
    if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
      fds.emplace_back(fd);
    }
  }
  return fds;
}

}  // namespace kinda::runtime
