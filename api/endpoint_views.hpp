// Stored Pods and Services read as the endpoint rule's plain values (api/endpoint_membership),
// for the endpoints controller and the DNS feed alike. Never throws: both run inside the store's
// change fan-out, where a malformed field must read as absent, not stop the daemon.
#pragma once

#include <nlohmann/json.hpp>

#include "api/endpoint_membership.hpp"

namespace kinda::api {

EndpointPod endpoint_pod_of(const nlohmann::json& pod);
EndpointService endpoint_service_of(const nlohmann::json& service);

}  // namespace kinda::api
