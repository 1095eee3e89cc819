#include "apiserver/registry/eviction.hpp"

#include "api/labels.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

// Budgets the apiserver may not hand out more than this many unconfirmed disruptions of.
constexpr size_t kMaxDisruptedPods = 2000;

Error too_many_requests(const std::string& cause) {
  return Error{429,
               "TooManyRequests",
               "Cannot evict pod as it would violate the pod's disruption budget.",
               {{"", cause, "DisruptionBudget"}}};
}

// policy/v1: a budget without a selector selects nothing; an empty one selects every pod.
bool selects(const Object& budget, const Object& pod) {
  const auto* selector = api::find_path(budget, "spec.selector");
  if (!selector || selector->is_null()) return false;
  auto parsed = api::Selector::from_json(*selector);
  return parsed && parsed->matches(api::labels_of(pod));
}

// Pods whose eviction no budget guards: finished, never started, or already going.
bool can_ignore_budget(const Object& pod) {
  auto phase = api::pod_phase(pod);
  return phase == "Succeeded" || phase == "Failed" || phase == "Pending" ||
         api::is_terminating(pod);
}

const api::ResourceInfo& pods_resource() {
  return *api::find_resource("pods");
}

}  // namespace

EvictionVerdict judge_eviction(const Object& pod, const std::vector<Object>& budgets) {
  EvictionVerdict verdict;
  if (can_ignore_budget(pod)) return verdict;
  std::vector<const Object*> matching;
  for (const auto& b : budgets)
    if (selects(b, pod)) matching.push_back(&b);
  if (matching.empty()) return verdict;
  verdict.kind = EvictionVerdict::Kind::Refuse;
  if (matching.size() > 1) {
    const std::string why =
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not "
        "support.";
    verdict.refusal =
        Error{500, "InternalError", "Internal error occurred: " + why, {{"", why, ""}}};
    return verdict;
  }
  const Object& budget = *matching.front();
  const std::string budget_name = api::name_of(budget);
  const long long current = api::int_at(budget, "status.currentHealthy");
  const long long desired = api::int_at(budget, "status.desiredHealthy");
  if (!api::pod_is_ready(pod)) {
    // An unhealthy pod does not count as healthy in the budget, so taking it away disrupts
    // nothing: allowed always (AlwaysAllow) or while the budget is met (IfHealthyBudget).
    auto policy = api::string_at(budget, "spec.unhealthyPodEvictionPolicy", "IfHealthyBudget");
    if (policy == "AlwaysAllow" || (current >= desired && desired > 0)) {
      verdict.kind = EvictionVerdict::Kind::Delete;
      return verdict;
    }
  }
  if (api::int_at(budget, "status.observedGeneration") <
      api::int_at(budget, "metadata.generation")) {
    verdict.refusal = too_many_requests("The disruption budget " + budget_name +
                                        " is still being processed by the server.");
    return verdict;
  }
  const long long allowed = api::int_at(budget, "status.disruptionsAllowed");
  if (allowed < 0) {
    verdict.refusal = Error{403, "Forbidden", "pdb disruptions allowed is negative", {}};
    return verdict;
  }
  const auto* disrupted = api::find_path(budget, "status.disruptedPods");
  if (disrupted && disrupted->is_object() && disrupted->size() > kMaxDisruptedPods) {
    verdict.refusal =
        Error{403,
              "Forbidden",
              "DisruptedPods map too big - too many evictions not confirmed by PDB controller",
              {}};
    return verdict;
  }
  if (allowed == 0) {
    verdict.refusal = too_many_requests("The disruption budget " + budget_name + " needs " +
                                        std::to_string(desired) + " healthy pods and has " +
                                        std::to_string(current) + " currently");
    return verdict;
  }
  verdict.kind = EvictionVerdict::Kind::DeleteAndSpend;
  verdict.budget = budget_name;
  return verdict;
}

Object spend_disruption(const Object& budget, const std::string& pod, const std::string& now) {
  Object next = budget;
  json& status = next["status"];
  const long long allowed = api::int_at(budget, "status.disruptionsAllowed") - 1;
  status["disruptionsAllowed"] = allowed;
  if (!status.contains("disruptedPods") || !status["disruptedPods"].is_object())
    status["disruptedPods"] = json::object();
  status["disruptedPods"][pod] = now;
  if (allowed == 0 && status.contains("conditions") && status["conditions"].is_array())
    for (auto& c : status["conditions"])
      if (c.value("type", "") == "DisruptionAllowed" && c.value("status", "") != "False") {
        c["status"] = "False";
        c["reason"] = "InsufficientPods";
        c["lastTransitionTime"] = now;
        c["observedGeneration"] = api::int_at(budget, "metadata.generation", 1);
      }
  return next;
}

Result<Object> evict_pod(ObjectService& objects, const std::string& ns, const std::string& name,
                         const Object& body, bool dry_run) {
  if (!body.is_object()) return Error::bad_request("the Eviction must be a JSON object");
  if (auto given = api::string_at(body, "metadata.name"); !given.empty() && given != name)
    return Error::bad_request("name in URL does not match name in Eviction object");
  DeleteOptions options;
  options.dry_run = dry_run;
  if (const auto* d = api::find_path(body, "deleteOptions"); d && d->is_object()) {
    if (const auto* grace = api::find_path(*d, "gracePeriodSeconds");
        grace && grace->is_number_integer())
      options.grace_period_seconds = grace->get<long long>();
    options.propagation_policy = api::string_at(*d, "propagationPolicy");
    if (const auto* runs = api::find_path(*d, "dryRun"); runs && runs->is_array() && !runs->empty())
      options.dry_run = true;
  }

  const auto& budgets_resource = *api::find_resource("poddisruptionbudgets");
  // A conflicting write of the budget's status (its controller's) is retried, as the API
  // server's RetryOnConflict does.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto pod = objects.get(pods_resource(), ns, name);
    if (!pod) return pod.error();
    if (const auto* uid = api::find_path(body, "deleteOptions.preconditions.uid");
        uid && uid->is_string() && uid->get<std::string>() != api::uid_of(*pod))
      return Error::conflict(
          "Precondition failed: UID in precondition: " + uid->get<std::string>() +
          ", UID in object meta: " + api::uid_of(*pod));
    auto verdict = judge_eviction(*pod, objects.store().list("poddisruptionbudgets", ns));
    if (verdict.kind == EvictionVerdict::Kind::Refuse) return verdict.refusal;
    if (verdict.kind == EvictionVerdict::Kind::DeleteAndSpend && !options.dry_run) {
      auto budget = objects.get(budgets_resource, ns, verdict.budget);
      if (!budget) return budget.error();
      auto spent = objects.update_status(budgets_resource,
                                         spend_disruption(*budget, name, api::now_rfc3339()));
      if (!spent && spent.error().code == 409) continue;
      if (!spent) return spent.error();
    }
    auto removed = objects.remove(pods_resource(), ns, name, options);
    if (!removed) return removed.error();
    return Object{{"kind", "Status"},
                  {"apiVersion", "v1"},
                  {"metadata", json::object()},
                  {"status", "Success"},
                  {"code", 201}};
  }
  return Error::conflict("the disruption budget of pod " + name + " kept changing; try again");
}

}  // namespace kinda::apiserver
