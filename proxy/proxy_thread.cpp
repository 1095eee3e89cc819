#include "proxy/proxy_thread.hpp"

#include <boost/asio/post.hpp>

#include <future>

#include <spdlog/spdlog.h>

namespace kinda::proxy {

namespace asio = boost::asio;

ProxyThread::ProxyThread(ProxyOptions options) : io_(1), server_(io_, std::move(options)) {}

ProxyThread::~ProxyThread() {
  stop();
}

void ProxyThread::start() {
  work_.emplace(io_.get_executor());
  thread_ = std::thread([this] {
    try {
      io_.run();
    } catch (const std::exception& e) {  // a bug, not a condition: say so and let the daemon go on
      spdlog::error("service proxy thread stopped: {}", e.what());
    }
  });
}

void ProxyThread::set_routes(RouteTable table) {
  bool post = false;
  {
    std::lock_guard lock(mutex_);
    post = !pending_;  // otherwise a posted apply has not run yet and will take this table
    pending_ = std::move(table);
  }
  if (post) asio::post(io_, [this] { apply_pending(); });
}

void ProxyThread::apply_pending() {
  std::optional<RouteTable> table;
  {
    std::lock_guard lock(mutex_);
    table.swap(pending_);
  }
  if (table) server_.apply(*table);
}

void ProxyThread::flush() {
  if (!thread_.joinable()) return;
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    apply_pending();
    done.set_value();
  });
  done.get_future().wait();
}

void ProxyThread::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    server_.stop();
    io_.stop();  // relays end with the daemon; their peers see the sockets close
  });
  work_.reset();
  thread_.join();
}

}  // namespace kinda::proxy
