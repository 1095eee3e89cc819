// How the service proxy behaves; the daemon fills it from config.json.
#pragma once

#include <chrono>
#include <string>

#include "proxy/tcp_connector.hpp"

namespace kinda::proxy {

struct ProxyOptions {
  // The daemon's --time-scale: affinity timeouts and the UDP idle timeout are multiplied by it.
  double time_scale = 1.0;
  // Where NodePorts listen, as kind's port mappings put them on the host's loopback.
  std::string node_address = "127.0.0.1";
  std::chrono::milliseconds udp_idle_timeout{30000};  // unscaled
  // How often listeners that could not bind (a NodePort taken on the host) try again; unscaled.
  std::chrono::milliseconds listen_retry{10000};
  ConnectOptions connect;

  std::chrono::milliseconds scaled(std::chrono::milliseconds d) const {
    return std::chrono::milliseconds(
        static_cast<long long>(static_cast<double>(d.count()) * time_scale));
  }
};

// A listener that could not open, for the daemon to record as a Warning Event on the Service.
struct ListenFailure {
  std::string ns;
  std::string service;
  std::string message;  // "cannot listen on 127.0.0.1:30080/TCP (NodePort of port http): …"
};

}  // namespace kinda::proxy
