// The DaemonSet controller's decisions (pkg/controller/daemon) as pure functions: which nodes
// should run the set's pod (nodeSelector, required node affinity, taints against the pod's
// tolerations plus the ones every daemon pod gets), the pods to create or delete so each such
// node runs exactly one, the RollingUpdate's next replacements within maxUnavailable/maxSurge,
// and the status. No I/O: the controller reads the objects and carries the actions out.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

// The tolerations the controller adds to every daemon pod (AddOrUpdateDaemonPodTolerations):
// not-ready and unreachable (NoExecute), disk-, memory- and pid-pressure and unschedulable
// (NoSchedule), and network-unavailable for host-network pods.
Object daemon_pod_tolerations(const Object& pod_spec);

struct NodeFit {
  bool should_run = false;       // a pod should be created here
  bool should_continue = false;  // a pod already here may stay (untolerated NoSchedule only)
};
NodeFit daemon_node_fit(const Object& ds, const Object& node);

// The node a daemon pod is for: spec.nodeName, else its affinity's metadata.name term.
std::string daemon_pod_node(const Object& pod);

// The pod to create on `node`: template labels plus controller-revision-hash and
// pod-template-generation, owner, default tolerations, pinned to the node by node affinity.
Object daemon_pod_for_node(const Object& ds, const std::string& node, const std::string& hash);

struct DaemonAction {
  enum class Kind { CreatePod, DeletePod };
  Kind kind;
  Object pod;        // the pod to create, or the pod to delete
  std::string node;  // the node it is for
  std::string why;
};

struct DaemonPlan {
  std::vector<DaemonAction> actions;
  Object status;
  std::chrono::milliseconds requeue_after{0};  // minReadySeconds still running for a pod
};

// `pods` are the set's own pods; `hash` is the controller-revision-hash of its template.
DaemonPlan plan_daemonset(const Object& ds, const std::vector<Object>& nodes,
                          const std::vector<Object>& pods, const std::string& hash,
                          std::chrono::system_clock::time_point now, double time_scale = 1.0);

// The RollingUpdate's budget: maxUnavailable and maxSurge scaled against the desired number of
// nodes (rounded up), maxUnavailable 1 when both come out 0.
struct RollingBudget {
  long long max_unavailable = 1;
  long long max_surge = 0;
};
RollingBudget rolling_budget(const Object& ds, long long desired);

}  // namespace kinda::controller
