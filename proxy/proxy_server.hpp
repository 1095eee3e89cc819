// The userspace service proxy: makes the listeners of a RouteTable exist, and follows each new
// table by difference, so a Service port whose addresses stay the same keeps its listeners, its
// round-robin position and its client affinities while its endpoints change. Runs on one
// io_context and is used from its thread only (proxy_thread puts it on a thread of its own).
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>
#include <memory>
#include <string>

#include "proxy/proxy_options.hpp"
#include "proxy/route_table.hpp"
#include "proxy/service_port.hpp"

namespace kinda::proxy {

class ProxyServer {
 public:
  ProxyServer(boost::asio::io_context& io, ProxyOptions options);
  ~ProxyServer();

  // Called (on the proxy's thread) once for each listener that cannot bind, until it binds.
  void on_listen_failure(ListenFailureHandler handler) { on_failure_ = std::move(handler); }
  void apply(const RouteTable& table);
  // Closes every listener; relayed connections go on until their ends close them.
  void stop();

  size_t service_port_count() const { return ports_.size(); }

 private:
  void schedule_retry();

  boost::asio::io_context& io_;
  ProxyOptions options_;
  ListenFailureHandler on_failure_;
  std::map<std::string, std::unique_ptr<ServicePort>> ports_;  // by ServicePort::listen_identity
  boost::asio::steady_timer retry_timer_;
  bool stopped_ = false;
};

}  // namespace kinda::proxy
