// The StatefulSet controller's decisions as pure functions: given a set, the pods it owns and the
// claims that exist, one reconcile step's actions (create claim, create pod, delete pod, delete
// claim) and the status to write. No I/O, so unit tests drive every rule of SEMANTICS.md directly.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

struct SetAction {
  enum class Kind { CreateClaim, CreatePod, DeletePod, DeleteClaim };
  Kind kind;
  Object object;    // the claim or pod to create, or the pod/claim to delete
  std::string why;  // for logs and events
};

struct SetPlan {
  std::vector<SetAction> actions;
  Object status;  // the set's status after this step
  // When a pod becomes available only after minReadySeconds, reconcile again after this long.
  std::chrono::milliseconds requeue_after{0};
};

// "<set>-<hash>" of the pod template, the controller-revision-hash label value.
std::string template_revision(const Object& set);

// The two revisions a reconcile works with (see controller_history.hpp): pods below the
// partition are made from `current_set` (the set at its current revision), others from the set.
struct SetRevisions {
  std::string current_name, update_name;
  Object current_set;
  double time_scale = 1.0;  // the cluster's --time-scale, applied to minReadySeconds
};
// For a set whose history is not read: the current revision from status, else the update one.
SetRevisions revisions_from_status(const Object& set);
std::string claim_name(const std::string& template_name, const std::string& set, int ordinal);
// The pod for `ordinal`, with identity labels, hostname/subdomain, owner and claim volumes.
Object pod_for_ordinal(const Object& set, int ordinal, const std::string& revision);
// The claims a pod of `ordinal` uses, from the set's volumeClaimTemplates.
std::vector<Object> claims_for_ordinal(const Object& set, int ordinal);

SetPlan plan_statefulset(const Object& set, const std::vector<Object>& pods,
                         const std::vector<Object>& claims,
                         std::chrono::system_clock::time_point now, const SetRevisions& revisions);
SetPlan plan_statefulset(const Object& set, const std::vector<Object>& pods,
                         const std::vector<Object>& claims,
                         std::chrono::system_clock::time_point now);

}  // namespace kinda::controller
