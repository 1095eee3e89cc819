// kube-proxy's reading of a Service and its EndpointSlices (discovery.k8s.io/v1), as pure
// functions: JSON in, routes out, no I/O. A Service port takes its endpoints from the slice ports
// of the same name and protocol; ready endpoints serve, and only when none is ready do serving
// endpoints that are terminating (kube-proxy's terminating-endpoints fallback). Headless and
// ExternalName Services route nothing; Services without a selector route whatever slices name
// them, as manual EndpointSlices do in Kubernetes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proxy/route_table.hpp"

namespace kinda::proxy {

// The label an EndpointSlice names its Service with.
inline constexpr const char* kServiceNameLabel = "kubernetes.io/service-name";

// The Service a slice belongs to (its kubernetes.io/service-name label), "" when it names none.
std::string service_name_of_slice(const nlohmann::json& slice);

// One route per TCP or UDP port of the Service; `slices` are the Service's own (same namespace,
// the label names it), in any order, duplicates across slices counted once.
std::vector<ServicePortRoute> routes_for_service(const nlohmann::json& service,
                                                 const std::vector<nlohmann::json>& slices);

}  // namespace kinda::proxy
