#include "proxy/route_translation.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <set>

#include "api/object.hpp"

namespace kinda::proxy {
namespace {

using nlohmann::json;

constexpr long long kDefaultAffinitySeconds = 10800;  // Kubernetes' default: three hours

bool is_ipv4(const std::string& text) {
  in_addr parsed{};
  return ::inet_pton(AF_INET, text.c_str(), &parsed) == 1;
}

std::optional<Protocol> protocol_of(const json& port) {
  std::string name = api::string_at(port, "protocol", "TCP");
  if (name == "TCP") return Protocol::Tcp;
  if (name == "UDP") return Protocol::Udp;
  return std::nullopt;  // SCTP: nothing on loopback speaks it
}

uint16_t port_number(const json& port, const char* field) {
  long long n = api::int_at(port, field, 0);
  return n > 0 && n <= 65535 ? static_cast<uint16_t>(n) : 0;
}

// An endpoint's condition; the API says an unset `ready` means ready, an unset `serving` means
// the same as `ready`, and an unset `terminating` means not terminating.
bool condition(const json& endpoint, const char* name, bool fallback) {
  const auto* value = api::find_path(endpoint, std::string("conditions.") + name);
  return value && value->is_boolean() ? value->get<bool>() : fallback;
}

// The port of `slice` that serves a Service port (same name and protocol), 0 when none does.
uint16_t slice_port_for(const json& slice, const std::string& name, Protocol protocol) {
  const auto* ports = api::find_path(slice, "ports");
  if (!ports || !ports->is_array()) return 0;
  for (const auto& port : *ports)
    if (api::string_at(port, "name") == name && protocol_of(port) == protocol)
      return port_number(port, "port");
  return 0;
}

struct EndpointSets {
  std::set<Backend> ready;
  std::set<Backend> serving_terminating;
};

void collect_endpoints(const json& slice, uint16_t port, EndpointSets& into) {
  std::string type = api::string_at(slice, "addressType", "IPv4");
  if (type != "IPv4") return;  // IPv6 and FQDN slices are not for a 127/8 proxy
  const auto* endpoints = api::find_path(slice, "endpoints");
  if (!endpoints || !endpoints->is_array()) return;
  for (const auto& endpoint : *endpoints) {
    const auto* addresses = api::find_path(endpoint, "addresses");
    if (!addresses || !addresses->is_array() || addresses->empty()) continue;
    const auto& first = (*addresses)[0];  // kube-proxy uses the first address only
    if (!first.is_string() || !is_ipv4(first.get<std::string>())) continue;
    Backend backend{first.get<std::string>(), port};
    bool ready = condition(endpoint, "ready", true);
    bool serving = condition(endpoint, "serving", ready);
    bool terminating = condition(endpoint, "terminating", false);
    if (ready)
      into.ready.insert(backend);
    else if (serving && terminating)
      into.serving_terminating.insert(backend);
  }
}

std::vector<Backend> backends_for(const std::vector<json>& slices, const std::string& port_name,
                                  Protocol protocol) {
  EndpointSets sets;
  for (const auto& slice : slices)
    if (uint16_t port = slice_port_for(slice, port_name, protocol))
      collect_endpoints(slice, port, sets);
  const auto& chosen = sets.ready.empty() ? sets.serving_terminating : sets.ready;
  return {chosen.begin(), chosen.end()};
}

}  // namespace

std::string service_name_of_slice(const json& slice) {
  const auto* labels = api::find_path(slice, "metadata.labels");
  if (!labels || !labels->is_object()) return "";
  auto it = labels->find(kServiceNameLabel);
  return it != labels->end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<ServicePortRoute> routes_for_service(const json& service,
                                                 const std::vector<json>& slices) {
  std::vector<ServicePortRoute> routes;
  std::string type = api::string_at(service, "spec.type", "ClusterIP");
  std::string cluster_ip = api::string_at(service, "spec.clusterIP");
  if (type == "ExternalName" || !is_ipv4(cluster_ip)) return routes;  // also headless ("None")
  const bool node_ports = type == "NodePort" || type == "LoadBalancer";
  const bool affinity = api::string_at(service, "spec.sessionAffinity") == "ClientIP";
  long long timeout = api::int_at(service, "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                                  kDefaultAffinitySeconds);
  if (timeout <= 0) timeout = kDefaultAffinitySeconds;
  const auto* ports = api::find_path(service, "spec.ports");
  if (!ports || !ports->is_array()) return routes;
  for (const auto& port : *ports) {
    auto protocol = protocol_of(port);
    uint16_t number = port_number(port, "port");
    if (!protocol || number == 0) continue;
    ServicePortRoute route;
    route.ns = api::namespace_of(service);
    route.service = api::name_of(service);
    route.port_name = api::string_at(port, "name");
    route.protocol = *protocol;
    route.cluster_ip = cluster_ip;
    route.port = number;
    route.node_port = node_ports ? port_number(port, "nodePort") : 0;
    route.backends = backends_for(slices, route.port_name, route.protocol);
    route.client_ip_affinity = affinity;
    route.affinity_timeout = std::chrono::seconds(timeout);
    routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace kinda::proxy
