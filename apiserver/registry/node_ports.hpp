// spec.ports[].nodePort of Services, as the API server's service registry allocates them: a
// NodePort or LoadBalancer service gets a free port of 30000-32767 for each port that names
// none, keeps the ones it holds across updates, and may not take one out of range or held by
// another service; a service that stops needing them gives them back. Pure: the caller says
// which ports other services hold.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::apiserver {

inline constexpr int kNodePortFirst = 30000;
inline constexpr int kNodePortLast = 32767;

// Every nodePort of `services` except those of the service `ns`/`name` itself.
std::set<int> node_ports_held(const std::vector<nlohmann::json>& services, const std::string& ns,
                              const std::string& name);

// Fills in and checks the node ports of `service` (defaulted and validated already); `previous`
// is the stored service on update, null on create. Returns the causes of a 422, if any.
std::vector<FieldCause> assign_node_ports(nlohmann::json& service, const nlohmann::json& previous,
                                          const std::set<int>& held_by_others);

// The Warning a LoadBalancer service gets: kinda has no load balancer; the node ports reach it.
std::string load_balancer_warning(const nlohmann::json& service);

}  // namespace kinda::apiserver
