// Real endpoints on loopback addresses for the service proxy's tests: a TCP server that greets
// each connection with "<name> <peer address>\n" and then echoes until the client half-closes,
// a UDP server that answers each datagram with "<name> <peer address>:<payload>", and blocking
// clients bound to a chosen source address. Each server runs on threads of the test process and
// ends them when destroyed; nothing here starts a process.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace kinda::proxy::testing {

inline sockaddr_in loopback_address(const std::string& ip, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) throw std::runtime_error("bad ip " + ip);
  return a;
}

inline std::string ip_of(const sockaddr_in& a) {
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
  return text;
}

inline uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

// A port on 127.0.0.1 nothing listens on right now (the kernel's pick), for NodePort tests.
inline uint16_t free_host_port(int type = SOCK_STREAM) {
  int fd = ::socket(AF_INET, type, 0);
  auto a = loopback_address("127.0.0.1", 0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  uint16_t port = bound_port(fd);
  ::close(fd);
  return port;
}

inline void set_receive_timeout(int fd, int millis) {
  timeval tv{millis / 1000, (millis % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

inline bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Reads up to and without the first '\n'; "" on timeout or end of stream.
inline std::string read_line(int fd) {
  std::string line;
  char c;
  while (::recv(fd, &c, 1, 0) == 1) {
    if (c == '\n') return line;
    line += c;
  }
  return line;
}

inline std::string read_to_end(int fd) {
  std::string all;
  char buf[65536];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) all.append(buf, static_cast<size_t>(n));
  return all;
}

// A TCP connection from `source_ip` (port 0) to ip:port; the fd, or -errno when connect fails.
inline int connect_from(const std::string& source_ip, const std::string& ip, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto from = loopback_address(source_ip, 0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
    int e = errno;
    ::close(fd);
    return -e;
  }
  auto to = loopback_address(ip, port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    int e = errno;
    ::close(fd);
    return -e;
  }
  set_receive_timeout(fd, 5000);
  return fd;
}

class TcpGreeter {
 public:
  TcpGreeter(std::string name, const std::string& ip) : name_(std::move(name)), ip_(ip) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    auto a = loopback_address(ip, 0);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 128) != 0)
      throw std::runtime_error("cannot listen on " + ip);
    port_ = bound_port(listen_fd_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~TcpGreeter() {
    stopping_ = true;
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : connections_) t.join();
    ::close(listen_fd_);
  }
  TcpGreeter(const TcpGreeter&) = delete;
  TcpGreeter& operator=(const TcpGreeter&) = delete;

  const std::string& name() const { return name_; }
  const std::string& ip() const { return ip_; }
  uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  void accept_loop() {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      sockaddr_in peer{};
      socklen_t len = sizeof peer;
      int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++accepted_;
      std::lock_guard lock(mutex_);
      open_fds_.push_back(fd);
      connections_.emplace_back([this, fd, peer] { serve(fd, ip_of(peer)); });
    }
  }
  void serve(int fd, const std::string& peer_ip) {
    std::string greeting = name_ + " " + peer_ip + "\n";
    if (write_all(fd, greeting.data(), greeting.size())) {
      char buf[65536];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0)
        if (!write_all(fd, buf, static_cast<size_t>(n))) break;
    }
    ::shutdown(fd, SHUT_WR);  // the client's end of stream answered with ours
    char drain;
    while (::recv(fd, &drain, 1, 0) > 0) {
    }
    std::lock_guard lock(mutex_);
    std::erase(open_fds_, fd);
    ::close(fd);
  }

  std::string name_;
  std::string ip_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::vector<int> open_fds_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

class UdpResponder {
 public:
  UdpResponder(std::string name, const std::string& ip) : name_(std::move(name)), ip_(ip) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    auto a = loopback_address(ip, 0);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("cannot bind " + ip);
    port_ = bound_port(fd_);
    thread_ = std::thread([this] { serve(); });
  }
  ~UdpResponder() {
    stopping_ = true;
    thread_.join();
    ::close(fd_);
  }
  UdpResponder(const UdpResponder&) = delete;
  UdpResponder& operator=(const UdpResponder&) = delete;

  const std::string& ip() const { return ip_; }
  uint16_t port() const { return port_; }

 private:
  void serve() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[65536];
      sockaddr_in peer{};
      socklen_t len = sizeof peer;
      ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &len);
      if (n < 0) continue;
      std::string reply =
          name_ + " " + ip_of(peer) + ":" + std::string(buf, static_cast<size_t>(n));
      ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&peer), len);
    }
  }

  std::string name_;
  std::string ip_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kinda::proxy::testing
