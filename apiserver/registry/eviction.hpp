// The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): a pod is deleted only
// when the PodDisruptionBudget that selects it allows one more disruption, which is then taken
// from the budget's status (disruptionsAllowed, disruptedPods) in the same step, so two
// evictions can never both spend the last allowed disruption. A budget that allows none answers
// 429 TooManyRequests, naming it; more than one budget for the pod is a 500, as in Kubernetes.
#pragma once

#include <string>

#include "apiserver/registry/object_service.hpp"

namespace kinda::apiserver {

// The decision for one pod against the budgets of its namespace, without I/O.
struct EvictionVerdict {
  enum class Kind { Delete, DeleteAndSpend, Refuse } kind = Kind::Delete;
  std::string budget;  // the budget whose status is to be spent (DeleteAndSpend)
  Error refusal;       // Refuse
};
EvictionVerdict judge_eviction(const Object& pod, const std::vector<Object>& budgets);

// The budget's status after it allowed the eviction of `pod` at `now` (RFC 3339).
Object spend_disruption(const Object& budget, const std::string& pod, const std::string& now);

// Evicts `name` in `ns` as POST …/pods/<name>/eviction with the Eviction `body` does: the Success
// Status (201) on deletion, else the Error the API server answers with.
Result<Object> evict_pod(ObjectService& objects, const std::string& ns, const std::string& name,
                         const Object& body, bool dry_run);

}  // namespace kinda::apiserver
