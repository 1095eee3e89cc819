// Routes and a running proxy for the proxy's socket tests (this layer's files only).
#pragma once

#include <signal.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "proxy/proxy_thread.hpp"
#include "proxy/route_table.hpp"

namespace kinda::proxy::testing {

inline ServicePortRoute test_route(const std::string& cluster_ip, uint16_t port,
                                   std::vector<Backend> backends,
                                   Protocol protocol = Protocol::Tcp) {
  ServicePortRoute r;
  r.ns = "default";
  r.service = "svc-" + cluster_ip;
  r.port_name = "p";
  r.protocol = protocol;
  r.cluster_ip = cluster_ip;
  r.port = port;
  std::sort(backends.begin(), backends.end());
  r.backends = std::move(backends);
  return r;
}

// A proxy to start() (after setting on_listen_failure, if wanted); time_scale 0.1 makes affinity
// and UDP idle timeouts short.
inline std::unique_ptr<ProxyThread> make_test_proxy(double time_scale = 0.1,
                                                    RelayMode relay = RelayMode::Copy) {
  ::signal(SIGPIPE, SIG_IGN);  // as the daemon does: splice into a closed peer raises it
  ProxyOptions options;
  options.time_scale = time_scale;
  options.listen_retry = std::chrono::milliseconds(100);
  options.connect.timeout = std::chrono::milliseconds(1000);
  options.connect.relay.mode = relay;
  auto proxy = std::make_unique<ProxyThread>(options);
  return proxy;
}

inline void serve(ProxyThread& proxy, std::vector<ServicePortRoute> routes) {
  proxy.set_routes(RouteTable{std::move(routes)});
  proxy.flush();
}

}  // namespace kinda::proxy::testing
