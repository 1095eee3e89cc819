// The disruption controller's arithmetic (pkg/controller/disruption) as pure functions: from a
// PodDisruptionBudget, the pods it selects and the scale of their controllers, the budget's
// status: expectedPods, desiredHealthy (percentages rounded up), currentHealthy (ready pods not
// being deleted and not recently evicted), disruptionsAllowed, the disruptedPods still awaiting
// deletion, and the DisruptionAllowed condition.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

// How long an evicted pod may take to be marked for deletion before the budget stops counting it
// as disrupted (DeletionTimeout), before the cluster's time scale.
constexpr std::chrono::seconds kDisruptionDeletionTimeout{120};

struct BudgetCounts {
  long long expected = 0;
  long long desired = 0;
};

// Whether the budget's numbers need the scale of the pods' controllers: maxUnavailable, or a
// percentage minAvailable. An integer minAvailable counts the selected pods instead.
bool budget_needs_scale(const Object& budget);
// expectedPods and desiredHealthy; `scale` is the sum of the controllers' replicas (used only
// when budget_needs_scale).
BudgetCounts budget_counts(const Object& budget, long long selected_pods, long long scale);
// currentHealthy - desiredHealthy, never below 0, and 0 when no pod is expected.
long long disruptions_allowed(long long current_healthy, long long desired_healthy,
                              long long expected);

struct BudgetPlan {
  Object status;
  // When a disrupted pod's entry expires, sync again after this long (0: no need).
  std::chrono::milliseconds recheck_after{0};
};

// The status for `budget` over the pods it selects. `scale` is nullopt when a pod's controller
// could not be found (with `scale_error` saying why): the status then fails safe, allowing no
// disruption (reason SyncFailed).
BudgetPlan plan_budget_status(const Object& budget, const std::vector<Object>& pods,
                              std::optional<long long> scale, const std::string& scale_error,
                              std::chrono::system_clock::time_point now, double time_scale);

}  // namespace kinda::controller
