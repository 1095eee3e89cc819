#include "controller/replicaset/replicaset_plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

std::optional<Clock::time_point> ready_since(const Object& pod) {
  const auto* conditions = api::find_path(pod, "status.conditions");
  if (!conditions || !conditions->is_array()) return std::nullopt;
  for (const auto& c : *conditions)
    if (api::string_at(c, "type") == "Ready" && api::string_at(c, "status") == "True")
      return api::parse_rfc3339(api::string_at(c, "lastTransitionTime"));
  return std::nullopt;
}

int phase_rank(const Object& pod) {
  auto phase = api::pod_phase(pod);
  if (phase == "Pending") return 0;
  if (phase == "Unknown") return 1;
  return 2;
}

long long deletion_cost(const Object& pod) {
  std::string text;
  const auto* annotations = api::find_path(pod, "metadata.annotations");
  if (annotations && annotations->is_object()) {
    auto it = annotations->find("controller.kubernetes.io/pod-deletion-cost");
    if (it != annotations->end() && it->is_string()) text = it->get<std::string>();
  }
  if (text.empty()) return 0;
  try {
    return std::stoll(text);
  } catch (...) {
    return 0;
  }
}

long long max_restarts(const Object& pod) {
  long long most = 0;
  const auto* statuses = api::find_path(pod, "status.containerStatuses");
  if (statuses && statuses->is_array())
    for (const auto& s : *statuses) most = std::max(most, api::int_at(s, "restartCount"));
  return most;
}

// floor(log2) of how long ago `t` was, in nanoseconds; -1 for the future or unknown.
int log_age(std::optional<Clock::time_point> t, Clock::time_point now) {
  if (!t) return -1;
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - *t).count();
  if (ns <= 0) return -1;
  return static_cast<int>(std::floor(std::log2(static_cast<double>(ns))));
}

struct Ranked {
  Object pod;
  bool assigned = false;
  int phase = 0;
  bool ready = false;
  long long cost = 0;
  long long colocated = 0;
  int ready_age = -1, created_age = -1;
  long long restarts = 0;
  std::string uid;
};

}  // namespace

bool pod_is_active(const Object& pod) {
  auto phase = api::pod_phase(pod);
  return !api::is_terminating(pod) && phase != "Succeeded" && phase != "Failed";
}

bool pod_is_available(const Object& pod, std::chrono::milliseconds min_ready, Clock::time_point now,
                      std::chrono::milliseconds& wait) {
  if (!pod_is_active(pod) || !api::pod_is_ready(pod)) return false;
  if (min_ready.count() <= 0) return true;
  auto since = ready_since(pod);
  if (!since) return false;
  if (now - *since >= min_ready) return true;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(min_ready - (now - *since)) +
              std::chrono::milliseconds(50);
  if (wait.count() == 0 || left < wait) wait = left;
  return false;
}

std::vector<Object> rank_pods_for_deletion(std::vector<Object> pods, Clock::time_point now,
                                           const std::vector<Object>& related) {
  std::map<std::string, long long> per_node;
  for (const auto& p : related.empty() ? pods : related)
    if (auto node = api::string_at(p, "spec.nodeName"); !node.empty() && pod_is_active(p))
      ++per_node[node];
  std::vector<Ranked> ranked;
  for (auto& p : pods) {
    Ranked r;
    auto node = api::string_at(p, "spec.nodeName");
    r.assigned = !node.empty();
    r.phase = phase_rank(p);
    r.ready = api::pod_is_ready(p);
    r.cost = deletion_cost(p);
    r.colocated = r.assigned ? per_node[node] : 0;
    r.ready_age = log_age(ready_since(p), now);
    r.created_age =
        log_age(api::parse_rfc3339(api::string_at(p, "metadata.creationTimestamp")), now);
    r.restarts = max_restarts(p);
    r.uid = api::uid_of(p);
    r.pod = std::move(p);
    ranked.push_back(std::move(r));
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.assigned != b.assigned) return !a.assigned;
    if (a.phase != b.phase) return a.phase < b.phase;
    if (a.ready != b.ready) return !a.ready;
    if (a.cost != b.cost) return a.cost < b.cost;
    if (a.colocated != b.colocated) return a.colocated > b.colocated;
    if (a.ready && b.ready && a.ready_age != b.ready_age) return a.ready_age < b.ready_age;
    if (a.restarts != b.restarts) return a.restarts > b.restarts;
    if (a.created_age != b.created_age) return a.created_age < b.created_age;
    return a.uid < b.uid;
  });
  std::vector<Object> out;
  for (auto& r : ranked) out.push_back(std::move(r.pod));
  return out;
}

Object pod_from_replicaset(const Object& rs) {
  const json& tmpl = rs["spec"]["template"];
  Object pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  pod["metadata"] = json::object();
  auto& meta = pod["metadata"];
  const json& tmeta = tmpl.value("metadata", json::object());
  for (const char* key : {"labels", "annotations", "finalizers"})
    if (tmeta.contains(key)) meta[key] = tmeta[key];
  meta["generateName"] = api::name_of(rs) + "-";
  meta["namespace"] = api::namespace_of(rs);
  meta["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                              {"kind", "ReplicaSet"},
                              {"name", api::name_of(rs)},
                              {"uid", api::uid_of(rs)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}};
  pod["spec"] = tmpl.value("spec", json::object());
  return pod;
}

ReplicaSetPlan plan_replicaset(const Object& rs, const std::vector<Object>& pods,
                               Clock::time_point now, double time_scale,
                               const std::vector<Object>& related) {
  ReplicaSetPlan plan;
  std::vector<Object> active;
  for (const auto& p : pods)
    if (pod_is_active(p)) active.push_back(p);
  const long long desired = api::int_at(rs, "spec.replicas", 1);
  const long long have = static_cast<long long>(active.size());
  if (!api::is_terminating(rs)) {
    if (have < desired) plan.create = desired - have;
    if (have > desired) {
      auto ranked = rank_pods_for_deletion(active, now, related);
      for (long long i = 0; i < have - desired; ++i)
        plan.delete_names.push_back(api::name_of(ranked[static_cast<size_t>(i)]));
    }
  }

  const auto min_ready = std::chrono::milliseconds(
      static_cast<long long>(api::int_at(rs, "spec.minReadySeconds", 0) * 1000.0 * time_scale));
  api::Labels template_labels = api::labels_of(rs["spec"]["template"]);
  long long labelled = 0, ready = 0, available = 0;
  std::chrono::milliseconds wait{0};
  for (const auto& p : active) {
    auto labels = api::labels_of(p);
    bool all = std::all_of(template_labels.begin(), template_labels.end(), [&](const auto& kv) {
      auto it = labels.find(kv.first);
      return it != labels.end() && it->second == kv.second;
    });
    if (all) ++labelled;
    if (api::pod_is_ready(p)) ++ready;
    if (pod_is_available(p, min_ready, now, wait)) ++available;
  }
  plan.status = rs.value("status", json::object());
  if (!plan.status.is_object()) plan.status = json::object();
  plan.status["replicas"] = have;
  plan.status["fullyLabeledReplicas"] = labelled;
  plan.status["readyReplicas"] = ready;
  plan.status["availableReplicas"] = available;
  plan.status["observedGeneration"] = api::int_at(rs, "metadata.generation", 1);
  // Zero counts are omitted (omitempty), as the API server returns them; replicas stays.
  for (const char* key : {"fullyLabeledReplicas", "readyReplicas", "availableReplicas"})
    if (plan.status[key] == 0) plan.status.erase(key);
  plan.requeue_after = wait;
  return plan;
}

}  // namespace kinda::controller
