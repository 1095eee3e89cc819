// policy/v1 PodDisruptionBudget as the API server checks it (ValidatePodDisruptionBudget): at
// most one of minAvailable and maxUnavailable, each a count or a percentage of at most 100%, a
// valid selector, and a known unhealthyPodEvictionPolicy.
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_pod_disruption_budget(Causes& c, const nlohmann::json& pdb);

}  // namespace kinda::api
