#include "controller/daemonset/daemonset_plan.hpp"

#include <algorithm>
#include <map>

#include "api/int_or_percent.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"
#include "controller/scheduler/scheduler.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

const json& array_field(const json& object, const std::string& path) {
  static const json kEmpty = json::array();
  const auto* value = api::find_path(object, path);
  return value && value->is_array() ? *value : kEmpty;
}

// The pod-template-generation label: the set's templateGeneration annotation (the API server
// bumps it when the template changes), else its generation.
std::string template_generation(const Object& ds) {
  const auto* annotations = api::find_path(ds, "metadata.annotations");
  if (annotations && annotations->is_object()) {
    auto it = annotations->find("deprecated.daemonset.template.generation");
    if (it != annotations->end() && it->is_string()) return it->get<std::string>();
  }
  return std::to_string(api::int_at(ds, "metadata.generation", 1));
}

// IsPodUpdated: the pod carries the set's template hash (or its template generation).
bool is_updated(const Object& pod, const std::string& hash, const std::string& generation) {
  return api::string_at(pod, "metadata.labels.controller-revision-hash") == hash ||
         (api::string_at(pod, "metadata.labels.controller-revision-hash").empty() &&
          api::string_at(pod, "metadata.labels.pod-template-generation") == generation);
}

std::optional<Clock::time_point> ready_since(const Object& pod) {
  for (const auto& c : array_field(pod, "status.conditions"))
    if (api::string_at(c, "type") == "Ready" && api::string_at(c, "status") == "True")
      return api::parse_rfc3339(api::string_at(c, "lastTransitionTime"));
  return std::nullopt;
}

// Ready for at least minReadySeconds (scaled); `wait` gets how long until it will be.
bool is_available(const Object& pod, std::chrono::milliseconds min_ready, Clock::time_point now,
                  std::chrono::milliseconds& wait) {
  if (!api::pod_is_ready(pod) || api::is_terminating(pod)) return false;
  if (min_ready.count() == 0) return true;
  auto since = ready_since(pod);
  if (!since) return true;
  auto at = *since + min_ready;
  if (at <= now) return true;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - now) +
              std::chrono::milliseconds(1);
  if (wait.count() == 0 || left < wait) wait = left;
  return false;
}

std::string creation_of(const Object& pod) {
  return api::string_at(pod, "metadata.creationTimestamp") + "/" + api::name_of(pod);
}

}  // namespace

Object daemon_pod_tolerations(const Object& pod_spec) {
  json tolerations = json::array();
  if (const auto* own = api::find_path(pod_spec, "tolerations"); own && own->is_array())
    tolerations = *own;
  auto add = [&](const char* key, const char* effect) {
    for (const auto& t : tolerations)
      if (api::string_at(t, "key") == key && api::string_at(t, "effect") == effect &&
          api::string_at(t, "operator") == "Exists")
        return;
    tolerations.push_back({{"key", key}, {"operator", "Exists"}, {"effect", effect}});
  };
  add("node.kubernetes.io/not-ready", "NoExecute");
  add("node.kubernetes.io/unreachable", "NoExecute");
  add("node.kubernetes.io/disk-pressure", "NoSchedule");
  add("node.kubernetes.io/memory-pressure", "NoSchedule");
  add("node.kubernetes.io/pid-pressure", "NoSchedule");
  add("node.kubernetes.io/unschedulable", "NoSchedule");
  if (api::bool_at(pod_spec, "hostNetwork"))
    add("node.kubernetes.io/network-unavailable", "NoSchedule");
  return tolerations;
}

NodeFit daemon_node_fit(const Object& ds, const Object& node) {
  json pod = {{"spec", api::find_path(ds, "spec.template.spec")
                           ? *api::find_path(ds, "spec.template.spec")
                           : json::object()}};
  if (!pod["spec"].is_object()) pod["spec"] = json::object();
  pod["spec"]["tolerations"] = daemon_pod_tolerations(pod["spec"]);
  NodeFit fit;
  if (!node_selection_matches(pod, node)) return fit;
  fit.should_run = fit.should_continue = true;
  for (const auto& taint : array_field(node, "spec.taints")) {
    auto effect = api::string_at(taint, "effect");
    if ((effect != "NoSchedule" && effect != "NoExecute") || pod_tolerates_taint(pod, taint))
      continue;
    fit.should_run = false;
    if (effect == "NoExecute") fit.should_continue = false;
  }
  return fit;
}

std::string daemon_pod_node(const Object& pod) {
  if (auto bound = api::string_at(pod, "spec.nodeName"); !bound.empty()) return bound;
  for (const auto& term : array_field(pod,
                                      "spec.affinity.nodeAffinity."
                                      "requiredDuringSchedulingIgnoredDuringExecution."
                                      "nodeSelectorTerms"))
    for (const auto& f : array_field(term, "matchFields"))
      if (api::string_at(f, "key") == "metadata.name" && api::string_at(f, "operator") == "In") {
        const auto& values = array_field(f, "values");
        if (values.size() == 1 && values[0].is_string()) return values[0].get<std::string>();
      }
  return "";
}

Object daemon_pod_for_node(const Object& ds, const std::string& node, const std::string& hash) {
  const auto* tmpl = api::find_path(ds, "spec.template");
  json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  json meta = tmpl && tmpl->contains("metadata") && (*tmpl)["metadata"].is_object()
                  ? (*tmpl)["metadata"]
                  : json::object();
  meta.erase("name");
  meta["generateName"] = api::name_of(ds) + "-";
  meta["namespace"] = api::namespace_of(ds);
  if (!meta.contains("labels") || !meta["labels"].is_object()) meta["labels"] = json::object();
  meta["labels"]["controller-revision-hash"] = hash;
  meta["labels"]["pod-template-generation"] = template_generation(ds);
  meta["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                              {"kind", "DaemonSet"},
                              {"name", api::name_of(ds)},
                              {"uid", api::uid_of(ds)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}};
  pod["metadata"] = meta;
  json spec = tmpl && tmpl->contains("spec") && (*tmpl)["spec"].is_object() ? (*tmpl)["spec"]
                                                                            : json::object();
  spec["tolerations"] = daemon_pod_tolerations(spec);
  // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become the one node's name.
  if (!spec.contains("affinity") || !spec["affinity"].is_object())
    spec["affinity"] = json::object();
  auto& affinity = spec["affinity"]["nodeAffinity"];
  if (!affinity.is_object()) affinity = json::object();
  affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       {{{"matchFields", {{{"key", "metadata.name"}, {"operator", "In"}, {"values", {node}}}}}}}}};
  pod["spec"] = spec;
  return pod;
}

RollingBudget rolling_budget(const Object& ds, long long desired) {
  RollingBudget budget;
  const auto* rolling = api::find_path(ds, "spec.updateStrategy.rollingUpdate");
  json unavailable = 1, surge = 0;
  if (rolling && rolling->is_object()) {
    if (rolling->contains("maxUnavailable")) unavailable = (*rolling)["maxUnavailable"];
    if (rolling->contains("maxSurge")) surge = (*rolling)["maxSurge"];
  }
  budget.max_unavailable = api::scaled_int_or_percent(unavailable, desired, true).value_or(1);
  budget.max_surge = api::scaled_int_or_percent(surge, desired, true).value_or(0);
  if (budget.max_unavailable == 0 && budget.max_surge == 0) budget.max_unavailable = 1;
  return budget;
}

DaemonPlan plan_daemonset(const Object& ds, const std::vector<Object>& nodes,
                          const std::vector<Object>& pods, const std::string& hash,
                          Clock::time_point now, double time_scale) {
  DaemonPlan plan;
  const auto generation = template_generation(ds);
  const auto min_ready = std::chrono::milliseconds(
      static_cast<long long>(api::int_at(ds, "spec.minReadySeconds") * 1000 * time_scale));
  std::map<std::string, std::vector<const Object*>> on_node;
  for (const auto& pod : pods) on_node[daemon_pod_node(pod)].push_back(&pod);
  for (auto& [node, list] : on_node)
    std::sort(list.begin(), list.end(),
              [](const Object* a, const Object* b) { return creation_of(*a) < creation_of(*b); });

  std::vector<const Object*> sorted_nodes;
  for (const auto& n : nodes) sorted_nodes.push_back(&n);
  std::sort(sorted_nodes.begin(), sorted_nodes.end(), [](const Object* a, const Object* b) {
    return node_name_less(api::name_of(*a), api::name_of(*b));
  });

  const bool rolling =
      api::string_at(ds, "spec.updateStrategy.type", "RollingUpdate") == "RollingUpdate";
  long long desired = 0;
  for (const auto* n : sorted_nodes)
    if (daemon_node_fit(ds, *n).should_run) ++desired;
  const auto budget = rolling_budget(ds, desired);
  const bool surge = rolling && budget.max_surge > 0;

  auto remove = [&](const Object& pod, const std::string& node, const std::string& why) {
    plan.actions.push_back({DaemonAction::Kind::DeletePod, pod, node, why});
  };
  std::map<std::string, bool> known;
  long long current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  // Rolling update bookkeeping, per node that should run the pod (syncNodes' input).
  long long unavailable = 0, surging = 0;
  std::vector<std::pair<const Object*, std::string>> free_deletes, candidate_deletes;
  std::vector<std::string> free_creates, candidate_creates;
  std::chrono::milliseconds wait{0};

  for (const auto* n : sorted_nodes) {
    const std::string node = api::name_of(*n);
    known[node] = true;
    const auto fit = daemon_node_fit(ds, *n);
    const auto& here = on_node[node];
    std::vector<const Object*> running;
    for (const auto* pod : here) {
      if (api::is_terminating(*pod)) continue;
      if (api::pod_phase(*pod) == "Failed") {
        remove(*pod, node, "failed pod on node " + node);
        continue;
      }
      running.push_back(pod);
    }
    if (fit.should_run) {
      if (!here.empty()) ++current;
      // The pod that stands for the node in the status: an updated one first, else the oldest.
      const Object* shown = nullptr;
      for (const auto* pod : running)
        if (!shown || (is_updated(*pod, hash, generation) && !is_updated(*shown, hash, generation)))
          shown = pod;
      if (shown) {
        if (api::pod_is_ready(*shown)) ++ready;
        if (is_available(*shown, min_ready, now, wait)) ++available;
        if (is_updated(*shown, hash, generation)) ++updated;
      }
    } else if (!here.empty()) {
      ++misscheduled;
    }

    if (!fit.should_continue) {
      for (const auto* pod : running)
        remove(*pod, node, "node " + node + " should not run the daemon pod");
      continue;
    }
    if (here.empty()) {
      if (fit.should_run) {
        plan.actions.push_back({DaemonAction::Kind::CreatePod, daemon_pod_for_node(ds, node, hash),
                                node, "node " + node + " has no daemon pod"});
        ++unavailable;
      }
      continue;
    }
    const Object *newest = nullptr, *oldest = nullptr;
    std::vector<const Object*> extras;
    for (const auto* pod : running) {
      const Object*& slot = is_updated(*pod, hash, generation) ? newest : oldest;
      if (!slot)
        slot = pod;
      else
        extras.push_back(pod);
    }
    // Exactly one pod a node: without surge an old pod beside a new one goes at once too.
    for (const auto* pod : extras) remove(*pod, node, "more than one daemon pod on node " + node);
    if (!rolling) {
      if (newest && oldest) remove(*newest, node, "more than one daemon pod on node " + node);
      continue;
    }
    std::chrono::milliseconds ignored{0};
    if (!surge) {
      if (newest && oldest) {
        remove(*oldest, node, "an updated pod runs on node " + node);
        ++unavailable;
      } else if (!newest && !oldest) {
        ++unavailable;  // only terminating pods: the manage step replaces them
      } else if (newest) {
        if (!is_available(*newest, min_ready, now, ignored)) ++unavailable;
      } else if (!is_available(*oldest, min_ready, now, ignored)) {
        free_deletes.push_back({oldest, node});
      } else {
        candidate_deletes.push_back({oldest, node});
      }
    } else {
      if (newest && oldest) {
        if (is_available(*newest, min_ready, now, ignored))
          remove(*oldest, node, "the updated pod on node " + node + " is available");
        else
          ++surging;
      } else if (newest) {
        if (!is_available(*newest, min_ready, now, ignored)) ++unavailable;
      } else if (oldest) {
        if (!is_available(*oldest, min_ready, now, ignored))
          free_creates.push_back(node);
        else
          candidate_creates.push_back(node);
      }
    }
  }
  // Pods on nodes that are gone.
  for (const auto& [node, list] : on_node)
    if (!known.count(node))
      for (const auto* pod : list)
        if (!api::is_terminating(*pod))
          remove(*pod, node, node.empty() ? "pod names no node" : "node " + node + " is gone");

  if (rolling && !surge) {
    for (const auto& [pod, node] : free_deletes)
      remove(*pod, node, "rolling update: the old pod on node " + node + " is not available");
    long long room = std::max(0LL, budget.max_unavailable - unavailable);
    for (const auto& [pod, node] : candidate_deletes) {
      if (room-- <= 0) break;
      remove(*pod, node, "rolling update: replacing the old pod on node " + node);
    }
  } else if (surge) {
    auto create = [&](const std::string& node) {
      plan.actions.push_back({DaemonAction::Kind::CreatePod, daemon_pod_for_node(ds, node, hash),
                              node, "rolling update: surge pod on node " + node});
    };
    for (const auto& node : free_creates) create(node);
    long long room = std::max(0LL, budget.max_surge - surging);
    for (const auto& node : candidate_creates) {
      if (room-- <= 0) break;
      create(node);
    }
  }

  json status = ds.value("status", json::object());
  if (!status.is_object()) status = json::object();
  status["desiredNumberScheduled"] = desired;
  status["currentNumberScheduled"] = current;
  status["numberMisscheduled"] = misscheduled;
  status["numberReady"] = ready;
  status["updatedNumberScheduled"] = updated;
  status["numberAvailable"] = available;
  if (desired - available > 0)
    status["numberUnavailable"] = desired - available;
  else
    status.erase("numberUnavailable");
  status["observedGeneration"] = api::int_at(ds, "metadata.generation", 1);
  plan.status = status;
  plan.requeue_after = wait;
  return plan;
}

}  // namespace kinda::controller
