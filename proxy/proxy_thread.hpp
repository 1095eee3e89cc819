// The service proxy on a thread and event loop of its own, like the DNS server: relaying bytes
// never waits behind the daemon's reconciling, and a burst of store changes never waits behind a
// busy relay. The threads share only the pending route table: set_routes() keeps the newest one
// and the proxy thread takes it, so a burst of changes costs one apply().
//
// With the splice relay, writing to a socket whose peer is gone raises SIGPIPE: the process must
// ignore SIGPIPE (the daemon does).
#pragma once

#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <mutex>
#include <optional>
#include <thread>

#include "proxy/proxy_server.hpp"

namespace kinda::proxy {

class ProxyThread {
 public:
  explicit ProxyThread(ProxyOptions options);
  ~ProxyThread();
  ProxyThread(const ProxyThread&) = delete;
  ProxyThread& operator=(const ProxyThread&) = delete;

  // Runs on the proxy thread; set before start().
  void on_listen_failure(ListenFailureHandler handler) {
    server_.on_listen_failure(std::move(handler));
  }
  void start();
  // From any thread: the proxy serves `table` soon after (tables set meanwhile replace it).
  void set_routes(RouteTable table);
  // Waits until the proxy thread has applied every table set before the call (for tests).
  void flush();
  // Closes every socket on the proxy thread and waits for it to end. Safe to call twice.
  void stop();

 private:
  void apply_pending();

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  ProxyServer server_;
  std::mutex mutex_;
  std::optional<RouteTable> pending_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace kinda::proxy
