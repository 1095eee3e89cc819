#include "daemon/dns_thread.hpp"

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

namespace kinda::daemon {

namespace asio = boost::asio;

DnsThread::DnsThread(const dns::ZoneIndex& zone) : server_(io_, zone) {}

DnsThread::~DnsThread() {
  stop();
}

void DnsThread::start() {
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception& e) {  // a bug, not a condition: say so and let the daemon go on
      spdlog::error("DNS thread stopped: {}", e.what());
    }
  });
}

void DnsThread::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    server_.stop();
    io_.stop();  // do not wait for connections' idle timers
  });
  work_.reset();
  thread_.join();
}

}  // namespace kinda::daemon
