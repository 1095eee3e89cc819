// What the service proxy routes, as plain values: one entry per Service port, with the addresses
// it listens on and the endpoints behind it. The translation from Service and EndpointSlice
// objects (route_translation) produces it; the proxy (proxy_server) consumes it. Neither side
// sees the other's types, so each is tested alone.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace kinda::proxy {

enum class Protocol { Tcp, Udp };
const char* to_string(Protocol protocol);  // "TCP", "UDP"

struct Backend {
  std::string ip;  // an IPv4 address in 127.0.0.0/8
  uint16_t port = 0;
  auto operator<=>(const Backend&) const = default;
  std::string to_string() const;  // "127.64.0.5:8080"
};

struct ServicePortRoute {
  std::string ns;
  std::string service;
  std::string port_name;  // "" for a Service's single unnamed port
  Protocol protocol = Protocol::Tcp;
  std::string cluster_ip;
  uint16_t port = 0;
  uint16_t node_port = 0;  // 0: no NodePort listener
  // Ready endpoints, or, when none is ready, the serving ones that are terminating (kube-proxy's
  // fallback); sorted, without duplicates. Empty: the port refuses connections.
  std::vector<Backend> backends;
  bool client_ip_affinity = false;
  std::chrono::seconds affinity_timeout{10800};  // unscaled: the proxy applies the time scale

  // "default/web:http/TCP": unique within a table, used in logs and to match routes across tables.
  std::string key() const;
  bool operator==(const ServicePortRoute&) const = default;
};

struct RouteTable {
  std::vector<ServicePortRoute> routes;
  bool operator==(const RouteTable&) const = default;
};

}  // namespace kinda::proxy
