#include "runtime/net_supervisor.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "runtime/net_calls.hpp"
#include "runtime/net_handoff.hpp"

namespace kinda::runtime {

Result<std::unique_ptr<NetSupervisor>> NetSupervisor::create(const std::string& pod_ip) {
  in_addr pod{};
  if (::inet_pton(AF_INET, pod_ip.c_str(), &pod) != 1)
    return Error::internal("network supervisor: \"" + pod_ip + "\" is not an IPv4 address");
  std::unique_ptr<NetSupervisor> supervisor(new NetSupervisor(pod));
  if (!supervisor->wake_.valid()) return errno_error("network supervisor: eventfd", errno);
  return supervisor;
}

NetSupervisor::NetSupervisor(in_addr pod)
    : pod_(pod), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

NetSupervisor::~NetSupervisor() {
  stopping_ = true;
  uint64_t one = 1;
  if (thread_.joinable()) {
    [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
    thread_.join();
  }
}

Status NetSupervisor::listen(const std::string& socket_path) {
  auto sock = listen_for_listeners(socket_path);
  if (!sock) return sock.error();
  handoffs_ = std::move(*sock);
  return Ok{};
}

void NetSupervisor::start() {
  thread_ = std::thread([this] { run(); });
}

void NetSupervisor::add(UniqueFd listener) {
  {
    std::lock_guard lock(mutex_);
    added_.push_back(std::move(listener));
  }
  uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
}

void NetSupervisor::take_added() {
  std::lock_guard lock(mutex_);
  for (auto& fd : added_) {
    prefer_synchronous_wakeups(fd.get());
    listeners_.push_back(std::move(fd));
  }
  added_.clear();
}

void NetSupervisor::run() {
  std::vector<pollfd> fds;
  while (!stopping_) {
    take_added();
    fds.clear();
    fds.push_back({wake_.get(), POLLIN, 0});
    fds.push_back({handoffs_.get(), POLLIN, 0});  // -1 (not listening) is skipped by poll
    for (const auto& l : listeners_) fds.push_back({l.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      spdlog::error("network supervisor: poll: {}", std::strerror(errno));
      return;
    }
    if (fds[0].revents) {
      uint64_t count;
      [[maybe_unused]] auto n = ::read(wake_.get(), &count, sizeof count);
    }
    std::vector<UniqueFd> kept;
    // Answer one call per listener and round; one whose processes have all gone reports POLLHUP
    // and is dropped.
    for (size_t i = 2; i < fds.size(); ++i) {
      auto& listener = listeners_[i - 2];
      if (fds[i].revents & POLLIN)
        answer_one_call(listener.get(), pod_);
      else if (fds[i].revents & (POLLHUP | POLLERR | POLLNVAL))
        continue;
      kept.push_back(std::move(listener));
    }
    if (fds[1].revents & POLLIN)
      for (auto& fd : receive_listeners(handoffs_.get())) {
        prefer_synchronous_wakeups(fd.get());
        kept.push_back(std::move(fd));
      }
    listeners_ = std::move(kept);
  }
}

}  // namespace kinda::runtime
