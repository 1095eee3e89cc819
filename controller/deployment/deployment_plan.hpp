// The Deployment controller's decisions as pure functions (pkg/controller/deployment): the
// pod-template-hash, the surge/unavailable arithmetic, one reconcile step of a RollingUpdate or
// Recreate rollout, proportional scaling, history cleanup and the status with its Available and
// Progressing conditions. Objects in, writes out; the controller does them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

inline constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr const char* kRevisionHistoryAnnotation =
    "deployment.kubernetes.io/revision-history";
inline constexpr const char* kDesiredReplicasAnnotation =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr const char* kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
inline constexpr const char* kPodTemplateHashLabel = "pod-template-hash";

// FNV-32a of the template (and the collision count, when there is one), spelled with
// Kubernetes' SafeEncodeString alphabet: the `pod-template-hash` value.
std::string pod_template_hash(const Object& pod_template, long long collision_count);

// maxSurge rounded up and maxUnavailable rounded down against `replicas`; both 0 becomes
// unavailable 1 (ResolveFenceposts). Recreate: {0, 0}.
struct Fenceposts {
  long long surge = 0, unavailable = 0;
};
Fenceposts resolve_fenceposts(const Object& deployment);
// MaxUnavailable: the fencepost capped at replicas; 0 for Recreate or 0 replicas.
long long max_unavailable(const Object& deployment);

// The RS template equals the deployment's, pod-template-hash label aside.
bool template_matches(const Object& rs, const Object& deployment);
long long revision_of(const Object& rs);
// The new ReplicaSet of a rollout, not yet created: name, labels, selector, annotations.
Object new_replicaset(const Object& deployment, long long replicas, long long revision);
// NewRSNewReplicas: how large the new ReplicaSet may be now.
long long new_rs_replicas(const Object& deployment, const std::vector<Object>& all,
                          const Object& new_rs);

struct DeploymentPlan {
  Object create;               // a new ReplicaSet to create, or null
  std::vector<Object> update;  // ReplicaSets to write back (scale, annotations)
  std::vector<std::string> remove;
  std::vector<std::string> events;  // "Scaled up replica set x from 0 to 1"
  Object status;                    // the deployment's status after this step
  std::string revision;             // the deployment's revision annotation, when it changes
  std::chrono::milliseconds requeue_after{0};
};

// One reconcile of a deployment. `owned`: its ReplicaSets; `pods`: theirs (Recreate waits for
// old ones to be gone). `time_scale` multiplies progressDeadlineSeconds.
DeploymentPlan plan_deployment(const Object& deployment, const std::vector<Object>& owned,
                               const std::vector<Object>& pods,
                               std::chrono::system_clock::time_point now, double time_scale = 1.0);

}  // namespace kinda::controller
