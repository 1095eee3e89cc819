// The endpoints controller's decisions for the v1 Endpoints object of a Service, as pure
// functions: which pods it lists (api::endpoint_of, the rule DNS follows too), grouped into
// subsets by the ports they serve, and whether the stored object needs a write. No I/O.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

// The label Kubernetes puts on the Endpoints and EndpointSlices of a headless service.
inline constexpr const char* kHeadlessLabel = "service.kubernetes.io/headless";

// The Endpoints named like `service`, listing `pods` (those of its namespace): ready ones in
// `addresses`, not-ready ones in `notReadyAddresses` (or `addresses` when the service publishes
// them), terminating ones left out; one subset per set of resolved ports, addresses by IP. Only
// for services that keep pod endpoints (api::has_pod_endpoints).
Object desired_endpoints(const Object& service, const std::vector<Object>& pods);

// `current` with the labels and subsets of `desired`, or nullopt when it has them already, so
// that a reconcile that changes nothing writes nothing.
std::optional<Object> endpoints_update(const Object& current, const Object& desired);

}  // namespace kinda::controller
