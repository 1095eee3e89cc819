#include "apiserver/registry/node_ports.hpp"

#include <random>

#include "api/object.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

bool needs_node_ports(const json& service) {
  const std::string type = api::string_at(service, "spec.type", "ClusterIP");
  if (type == "NodePort") return true;
  // spec.allocateLoadBalancerNodePorts: false leaves a LoadBalancer's ports to the user.
  return type == "LoadBalancer" &&
         api::bool_at(service, "spec.allocateLoadBalancerNodePorts", true);
}

int node_port_of(const json& port) {
  return static_cast<int>(api::int_at(port, "nodePort", 0));
}

// The node port the stored service held for the same port: same number and protocol, else the
// same name, as a client's full replacement may leave nodePort out and still mean to keep it.
int held_before(const json& previous, const json& port) {
  const json* ports = api::find_path(previous, "spec.ports");
  if (!ports || !ports->is_array()) return 0;
  for (const json& old : *ports)
    if (api::int_at(old, "port") == api::int_at(port, "port") &&
        api::string_at(old, "protocol", "TCP") == api::string_at(port, "protocol", "TCP"))
      return node_port_of(old);
  const std::string name = api::string_at(port, "name");
  for (const json& old : *ports)
    if (!name.empty() && api::string_at(old, "name") == name) return node_port_of(old);
  return 0;
}

// A free port, searched from a random place as the API server picks at random: services made one
// after another do not get neighbouring ports a user could guess wrong.
int free_node_port(const std::set<int>& taken) {
  static std::mt19937 rng{std::random_device{}()};
  constexpr int kSize = kNodePortLast - kNodePortFirst + 1;
  const int start = static_cast<int>(rng() % kSize);
  for (int i = 0; i < kSize; ++i) {
    const int candidate = kNodePortFirst + (start + i) % kSize;
    if (!taken.count(candidate)) return candidate;
  }
  return 0;
}

std::string type_of(const json& service) {
  return api::string_at(service, "spec.type", "ClusterIP");
}

}  // namespace

std::set<int> node_ports_held(const std::vector<json>& services, const std::string& ns,
                              const std::string& name) {
  std::set<int> held;
  for (const json& service : services) {
    if (api::namespace_of(service) == ns && api::name_of(service) == name) continue;
    if (const json* ports = api::find_path(service, "spec.ports"); ports && ports->is_array())
      for (const json& port : *ports)
        if (const int node_port = node_port_of(port); node_port > 0) held.insert(node_port);
  }
  return held;
}

std::vector<FieldCause> assign_node_ports(json& service, const json& previous,
                                          const std::set<int>& held_by_others) {
  std::vector<FieldCause> causes;
  json* ports = service.contains("spec") ? &service["spec"] : nullptr;
  if (!ports || !ports->is_object() || !ports->contains("ports") || !(*ports)["ports"].is_array())
    return causes;
  ports = &(*ports)["ports"];
  const bool needed = needs_node_ports(service);
  std::set<int> taken = held_by_others;
  std::set<std::pair<int, std::string>> own;  // (nodePort, protocol) within this service
  for (size_t i = 0; i < ports->size(); ++i) {
    json& port = (*ports)[i];
    if (!port.is_object()) continue;
    const std::string path = "spec.ports[" + std::to_string(i) + "].nodePort";
    int node_port = node_port_of(port);
    const int before = previous.is_null() ? 0 : held_before(previous, port);
    if (!needed) {
      // Switching back to ClusterIP releases the ports it held; a new one is a mistake.
      if (node_port > 0 && node_port != before)
        causes.push_back({path,
                          "Forbidden: may not be used when `type` is '" + type_of(service) + "'",
                          "FieldValueForbidden"});
      port.erase("nodePort");
      continue;
    }
    if (node_port == 0) node_port = before;
    if (node_port == 0) {
      node_port = free_node_port(taken);
      if (node_port == 0) {
        causes.push_back({path, "Internal error: failed to allocate a nodePort: range is full",
                          "InternalError"});
        continue;
      }
    } else if (node_port < kNodePortFirst || node_port > kNodePortLast) {
      causes.push_back({path, "Invalid value: " + std::to_string(node_port) +
                                  ": provided port is not in the valid range. The range of valid "
                                  "ports is " +
                                  std::to_string(kNodePortFirst) + "-" +
                                  std::to_string(kNodePortLast)});
      continue;
    } else if (held_by_others.count(node_port)) {
      causes.push_back({path, "Invalid value: " + std::to_string(node_port) +
                                  ": provided port is already allocated"});
      continue;
    }
    if (!own.insert({node_port, api::string_at(port, "protocol", "TCP")}).second) {
      causes.push_back(
          {path, "Duplicate value: " + std::to_string(node_port), "FieldValueDuplicate"});
      continue;
    }
    port["nodePort"] = node_port;
    taken.insert(node_port);
  }
  return causes;
}

std::string load_balancer_warning(const json& service) {
  std::string where;
  if (const json* ports = api::find_path(service, "spec.ports"); ports && ports->is_array())
    for (const json& port : *ports)
      if (const int node_port = node_port_of(port); node_port > 0)
        where +=
            (where.empty() ? "" : ", ") + std::string("127.0.0.1:") + std::to_string(node_port);
  if (where.empty())
    return "kinda has no load balancer: Service " + api::name_of(service) +
           " gets no external address";
  return "kinda has no load balancer: Service " + api::name_of(service) +
         " stays <pending> and is reachable at " + where;
}

}  // namespace kinda::apiserver
