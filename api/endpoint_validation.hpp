// Checks of v1 Endpoints and discovery.k8s.io/v1 EndpointSlices, the cheap part of the API
// server's ValidateEndpoints and ValidateEndpointSlice with their messages: addresses are IPs,
// ports are in range with a known protocol, a slice has a known addressType that never changes.
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_endpoints(Causes& causes, const nlohmann::json& endpoints);
void check_endpoint_slice(Causes& causes, const nlohmann::json& slice);
void check_endpoint_slice_update(Causes& causes, const nlohmann::json& old_slice,
                                 const nlohmann::json& new_slice);

}  // namespace kinda::api
