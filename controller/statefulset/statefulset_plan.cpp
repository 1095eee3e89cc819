#include "controller/statefulset/statefulset_plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"
#include "controller/statefulset/controller_history.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

bool running_and_ready(const Object& pod) {
  return api::pod_phase(pod) == "Running" && api::pod_is_ready(pod) && !api::is_terminating(pod);
}

// Ready for at least minReadySeconds; `wait` gets how long is left when not yet.
bool available(const Object& pod, std::chrono::milliseconds min_ready,
               std::chrono::system_clock::time_point now, std::chrono::milliseconds& wait) {
  if (!running_and_ready(pod)) return false;
  if (min_ready.count() <= 0) return true;
  const auto* conditions = api::find_path(pod, "status.conditions");
  if (!conditions) return false;
  for (const auto& c : *conditions) {
    if (api::string_at(c, "type") != "Ready") continue;
    auto since = api::parse_rfc3339(api::string_at(c, "lastTransitionTime"));
    if (!since) return false;
    auto ready_for = now - *since;
    auto needed = min_ready;
    if (ready_for >= needed) return true;
    wait = std::chrono::duration_cast<std::chrono::milliseconds>(needed - ready_for) +
           std::chrono::milliseconds(100);
    return false;
  }
  return false;
}

}  // namespace

std::string template_revision(const Object& set) {
  return revision_name(set, api::int_at(set, "status.collisionCount", 0));
}

SetRevisions revisions_from_status(const Object& set) {
  auto update = template_revision(set);
  return {api::string_at(set, "status.currentRevision", update), update, set};
}

// How many pods a rolling update may have unavailable: maxUnavailable as a number or a
// percentage of replicas (rounded down), never less than 1.
static long long max_unavailable(const Object& set, long long replicas) {
  const auto* value = api::find_path(set, "spec.updateStrategy.rollingUpdate.maxUnavailable");
  long long n = 1;
  if (value && value->is_number_integer()) n = value->get<long long>();
  if (value && value->is_string()) {
    auto text = value->get<std::string>();
    if (!text.empty() && text.back() == '%')
      n = replicas * std::atoll(text.substr(0, text.size() - 1).c_str()) / 100;
  }
  return std::max(1LL, n);
}

std::string claim_name(const std::string& template_name, const std::string& set, int ordinal) {
  return template_name + "-" + set + "-" + std::to_string(ordinal);
}

std::vector<Object> claims_for_ordinal(const Object& set, int ordinal) {
  std::vector<Object> claims;
  const auto* templates = api::find_path(set, "spec.volumeClaimTemplates");
  if (!templates || !templates->is_array()) return claims;
  const auto* match_labels = api::find_path(set, "spec.selector.matchLabels");
  bool delete_with_set =
      api::string_at(set, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted") == "Delete";
  for (const auto& t : *templates) {
    Object claim = {{"apiVersion", "v1"}, {"kind", "PersistentVolumeClaim"}};
    claim["metadata"] = t.value("metadata", json::object());
    claim["metadata"]["name"] = claim_name(api::name_of(t), api::name_of(set), ordinal);
    claim["metadata"]["namespace"] = api::namespace_of(set);
    if (match_labels && match_labels->is_object())
      for (auto& [k, v] : match_labels->items()) claim["metadata"]["labels"][k] = v;
    if (delete_with_set)
      claim["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                                               {"kind", "StatefulSet"},
                                               {"name", api::name_of(set)},
                                               {"uid", api::uid_of(set)},
                                               {"controller", true},
                                               {"blockOwnerDeletion", true}}};
    claim["spec"] = t.value("spec", json::object());
    claims.push_back(std::move(claim));
  }
  return claims;
}

Object pod_for_ordinal(const Object& set, int ordinal, const std::string& revision) {
  const std::string set_name = api::name_of(set);
  const std::string pod_name = set_name + "-" + std::to_string(ordinal);
  const Object& tmpl = set["spec"]["template"];
  Object pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  pod["metadata"] = tmpl.value("metadata", json::object());
  auto& meta = pod["metadata"];
  meta["name"] = pod_name;
  meta["namespace"] = api::namespace_of(set);
  meta["labels"]["statefulset.kubernetes.io/pod-name"] = pod_name;
  meta["labels"]["apps.kubernetes.io/pod-index"] = std::to_string(ordinal);
  meta["labels"]["controller-revision-hash"] = revision;
  meta["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                              {"kind", "StatefulSet"},
                              {"name", set_name},
                              {"uid", api::uid_of(set)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}};
  pod["spec"] = tmpl.value("spec", json::object());
  auto& spec = pod["spec"];
  spec["hostname"] = pod_name;
  if (auto service = api::string_at(set, "spec.serviceName"); !service.empty())
    spec["subdomain"] = service;
  // Each claim template becomes the pod's volume of that name, pointing at the pod's own claim.
  const auto* templates = api::find_path(set, "spec.volumeClaimTemplates");
  if (templates && templates->is_array()) {
    json volumes = json::array();
    std::set<std::string> claimed;
    for (const auto& t : *templates) {
      std::string name = api::name_of(t);
      claimed.insert(name);
      volumes.push_back(
          {{"name", name},
           {"persistentVolumeClaim", {{"claimName", claim_name(name, set_name, ordinal)}}}});
    }
    if (spec.contains("volumes") && spec["volumes"].is_array())
      for (const auto& v : spec["volumes"])
        if (!claimed.count(api::string_at(v, "name"))) volumes.push_back(v);
    spec["volumes"] = volumes;
  }
  return pod;
}

SetPlan plan_statefulset(const Object& set, const std::vector<Object>& pods,
                         const std::vector<Object>& claims,
                         std::chrono::system_clock::time_point now) {
  return plan_statefulset(set, pods, claims, now, revisions_from_status(set));
}

SetPlan plan_statefulset(const Object& set, const std::vector<Object>& pods,
                         const std::vector<Object>& claims,
                         std::chrono::system_clock::time_point now, const SetRevisions& revisions) {
  SetPlan plan;
  const std::string set_name = api::name_of(set);
  const long long replicas = api::int_at(set, "spec.replicas", 1);
  const long long start = api::int_at(set, "spec.ordinals.start", 0);
  // minReadySeconds is a controller duration, so the cluster's time scale applies to it.
  const std::chrono::milliseconds min_ready(static_cast<long long>(
      api::int_at(set, "spec.minReadySeconds", 0) * 1000.0 * revisions.time_scale));
  const bool monotonic =
      api::string_at(set, "spec.podManagementPolicy", "OrderedReady") != "Parallel";
  const std::string update_revision = revisions.update_name;
  std::string current_revision = revisions.current_name;
  const bool rolling =
      api::string_at(set, "spec.updateStrategy.type", "RollingUpdate") == "RollingUpdate";
  const long long partition =
      rolling ? api::int_at(set, "spec.updateStrategy.rollingUpdate.partition", 0) : 0;

  std::map<int, const Object*> in_range;
  std::vector<std::pair<int, const Object*>> condemned;
  for (const auto& pod : pods) {
    auto ordinal = api::ordinal_of(set_name, api::name_of(pod));
    if (!ordinal) continue;
    if (*ordinal >= start && *ordinal < start + replicas)
      in_range[*ordinal] = &pod;
    else
      condemned.emplace_back(*ordinal, &pod);
  }
  std::sort(condemned.begin(), condemned.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::set<std::string> claim_names;
  for (const auto& c : claims) claim_names.insert(api::name_of(c));

  // Status reflects what exists before this step's actions, as Kubernetes computes it.
  long long count = 0, ready = 0, avail = 0, current = 0, updated = 0;
  for (const auto& pod : pods) {
    if (api::is_terminating(pod)) continue;
    ++count;
    std::chrono::milliseconds wait{0};
    if (running_and_ready(pod)) ++ready;
    if (available(pod, min_ready, now, wait))
      ++avail;
    else if (wait.count() > 0 && (plan.requeue_after.count() == 0 || wait < plan.requeue_after))
      plan.requeue_after = wait;
    auto rev = api::string_at(pod, "metadata.labels.controller-revision-hash");
    if (rev == current_revision) ++current;
    if (rev == update_revision) ++updated;
  }

  // As Kubernetes: a RollingUpdate is complete when every pod is updated and ready; only then
  // does the current revision become the update revision.
  auto finish = [&](bool) {
    if (rolling && updated == count && ready == count)
      current_revision = update_revision, current = updated;
    plan.status = {{"observedGeneration", api::int_at(set, "metadata.generation", 1)},
                   {"replicas", count},
                   {"readyReplicas", ready},
                   {"availableReplicas", avail},
                   {"currentReplicas", current},
                   {"updatedReplicas", updated},
                   {"currentRevision", current_revision},
                   {"updateRevision", update_revision},
                   {"collisionCount", api::int_at(set, "status.collisionCount", 0)}};
    return plan;
  };
  // While the set is being deleted, only status is updated.
  if (api::is_terminating(set)) return finish(false);

  auto create_pod = [&](int ordinal) {
    for (auto& claim : claims_for_ordinal(set, ordinal))
      if (!claim_names.count(api::name_of(claim)))
        plan.actions.push_back({SetAction::Kind::CreateClaim, std::move(claim),
                                "claim for ordinal " + std::to_string(ordinal)});
    // Below the partition a pod is made at the current revision, even when it is recreated.
    bool keep_current =
        rolling && ordinal < start + partition && current_revision != update_revision;
    plan.actions.push_back({SetAction::Kind::CreatePod,
                            keep_current
                                ? pod_for_ordinal(revisions.current_set, ordinal, current_revision)
                                : pod_for_ordinal(set, ordinal, update_revision),
                            "ordinal " + std::to_string(ordinal) + " is missing"});
  };

  // Replicas in range, lowest ordinal first.
  for (long long ordinal = start; ordinal < start + replicas; ++ordinal) {
    auto it = in_range.find(static_cast<int>(ordinal));
    if (it == in_range.end()) {
      create_pod(static_cast<int>(ordinal));
      if (monotonic) return finish(false);
      continue;
    }
    const Object& pod = *it->second;
    if (api::pod_finished(pod) && !api::is_terminating(pod)) {
      plan.actions.push_back({SetAction::Kind::DeletePod, pod,
                              "pod is " + api::pod_phase(pod) + " and will be recreated"});
      if (monotonic) return finish(false);
      continue;
    }
    // A Pending pod whose claim went missing gets the claim back.
    if (api::pod_phase(pod) == "Pending" && !api::is_terminating(pod))
      for (auto& claim : claims_for_ordinal(set, static_cast<int>(ordinal)))
        if (!claim_names.count(api::name_of(claim)))
          plan.actions.push_back(
              {SetAction::Kind::CreateClaim, std::move(claim), "claim went missing"});
    if (!monotonic) continue;
    std::chrono::milliseconds wait{0};
    if (api::is_terminating(pod) || !available(pod, min_ready, now, wait)) return finish(false);
  }

  // Scale down: highest condemned ordinal first; OrderedReady waits for each to be gone, and
  // (as Kubernetes) will not remove an unhealthy pod unless it is the lowest unhealthy one.
  const Object* first_unhealthy = nullptr;
  int first_unhealthy_ordinal = 0;
  for (const auto& pod : pods) {
    auto ordinal = api::ordinal_of(set_name, api::name_of(pod));
    if (!ordinal || running_and_ready(pod)) continue;
    if (!first_unhealthy || *ordinal < first_unhealthy_ordinal)
      first_unhealthy = &pod, first_unhealthy_ordinal = *ordinal;
  }
  for (const auto& [ordinal, pod] : condemned) {
    if (api::is_terminating(*pod)) {
      if (monotonic) return finish(false);
      continue;
    }
    if (monotonic && !running_and_ready(*pod) && pod != first_unhealthy) return finish(false);
    plan.actions.push_back({SetAction::Kind::DeletePod, *pod,
                            "ordinal " + std::to_string(ordinal) + " is above the replica count"});
    if (monotonic) return finish(false);
  }
  bool delete_on_scale =
      api::string_at(set, "spec.persistentVolumeClaimRetentionPolicy.whenScaled") == "Delete";
  if (condemned.empty() && delete_on_scale) {
    const auto* templates = api::find_path(set, "spec.volumeClaimTemplates");
    for (const auto& claim : claims) {
      if (!templates || !templates->is_array()) break;
      for (const auto& t : *templates) {
        auto ordinal = api::ordinal_of(api::name_of(t) + "-" + set_name, api::name_of(claim));
        if (ordinal && (*ordinal < start || *ordinal >= start + replicas) &&
            !api::is_terminating(claim))
          plan.actions.push_back({SetAction::Kind::DeleteClaim, claim, "whenScaled is Delete"});
      }
    }
  }
  if (!condemned.empty()) return finish(false);

  // Rolling update: highest ordinal first down to the partition, at most maxUnavailable pods
  // unavailable at once (counting every replica), each replaced by one at the update revision.
  if (!rolling) return finish(false);
  long long unavailable = 0;
  for (long long ordinal = start; ordinal < start + replicas; ++ordinal) {
    auto it = in_range.find(static_cast<int>(ordinal));
    std::chrono::milliseconds wait{0};
    if (it == in_range.end() || api::is_terminating(*it->second) ||
        !available(*it->second, min_ready, now, wait))
      ++unavailable;
  }
  long long budget = max_unavailable(set, replicas) - unavailable;
  for (long long ordinal = start + replicas - 1; ordinal >= start + partition && budget > 0;
       --ordinal) {
    auto it = in_range.find(static_cast<int>(ordinal));
    if (it == in_range.end()) break;
    const Object& pod = *it->second;
    if (api::string_at(pod, "metadata.labels.controller-revision-hash") == update_revision ||
        api::is_terminating(pod))
      continue;
    plan.actions.push_back(
        {SetAction::Kind::DeletePod, pod, "updating to revision " + update_revision});
    --budget;
  }
  return finish(false);
}

}  // namespace kinda::controller
