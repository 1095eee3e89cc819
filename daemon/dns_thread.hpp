// The cluster DNS server on a thread and event loop of its own, so a query is answered while the
// daemon's thread is busy reconciling (a rollout over 1,000 pods takes milliseconds per step)
// instead of waiting behind it. The two threads share only the zone, which is thread-safe; the
// server, its sockets and its c-ares forwarder live on the DNS thread alone.
#pragma once

#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

#include "dns/server.hpp"

namespace kinda::daemon {

class DnsThread {
 public:
  explicit DnsThread(const dns::ZoneIndex& zone);
  ~DnsThread();
  DnsThread(const DnsThread&) = delete;
  DnsThread& operator=(const DnsThread&) = delete;

  // Set the server up (listen, forward) before start(); afterwards only the DNS thread uses it.
  dns::Server& server() { return server_; }
  void start();
  // Closes every socket on the DNS thread and waits for it to end. Safe to call twice.
  void stop();

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  dns::Server server_;
  std::thread thread_;
};

}  // namespace kinda::daemon
