// Checks of coordination.k8s.io/v1 Leases, as the API server's ValidateLeaseSpec: a positive
// duration, a non-negative transition count, a known coordinated-election strategy, and a
// preferred holder only beside a strategy.
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_lease(Causes& causes, const nlohmann::json& lease);

}  // namespace kinda::api
