// The ReplicaSet controller's decisions as pure functions (pkg/controller/replicaset): how many
// pods to create, which to delete first (ActivePodsWithRanks), and the status to write.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

// Neither terminating nor finished (Succeeded/Failed): a pod that counts towards replicas.
bool pod_is_active(const Object& pod);
// Ready for minReadySeconds (already scaled by the time scale) at `now`; `wait` gets the time
// left when it is ready but not yet for long enough.
bool pod_is_available(const Object& pod, std::chrono::milliseconds min_ready,
                      std::chrono::system_clock::time_point now, std::chrono::milliseconds& wait);

// `pods` ordered as the controller deletes them on scale-down, first to go first: unscheduled
// before scheduled, Pending before Unknown before Running, not ready before ready, lower
// controller.kubernetes.io/pod-deletion-cost first, more pods of the set on the same node
// first, ready more recently first, more restarts first, created more recently first (the
// last two times compared on a logarithmic scale, as LogarithmicScaleDown does). "Pods of the
// set on the same node" counts `related`: the active pods of every ReplicaSet of the same owner
// (getIndirectlyRelatedPods); empty means `pods` themselves.
std::vector<Object> rank_pods_for_deletion(std::vector<Object> pods,
                                           std::chrono::system_clock::time_point now,
                                           const std::vector<Object>& related = {});

// A new pod from the set's template: generateName "<rs>-", the template's labels and
// annotations, the set as its controller.
Object pod_from_replicaset(const Object& rs);

struct ReplicaSetPlan {
  long long create = 0;                   // pods to create
  std::vector<std::string> delete_names;  // pods to delete, in that order
  Object status;
  std::chrono::milliseconds requeue_after{0};  // a pod becomes available then
};

// `pods`: those the set owns. `time_scale` multiplies minReadySeconds.
ReplicaSetPlan plan_replicaset(const Object& rs, const std::vector<Object>& pods,
                               std::chrono::system_clock::time_point now, double time_scale = 1.0,
                               const std::vector<Object>& related = {});

}  // namespace kinda::controller
