#include "controller/disruption/disruption_plan.hpp"

#include <algorithm>

#include "api/int_or_percent.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

const json& spec_field(const Object& budget, const char* key) {
  static const json kNull;
  const auto* value = api::find_path(budget, std::string("spec.") + key);
  return value ? *value : kNull;
}

// The DisruptionAllowed condition, its transition time kept while its status stays.
json allowed_condition(const Object& budget, bool allowed, const std::string& reason,
                       const std::string& message, const std::string& now) {
  json condition = {{"type", "DisruptionAllowed"},
                    {"status", allowed ? "True" : "False"},
                    {"reason", reason},
                    {"message", message},
                    {"observedGeneration", api::int_at(budget, "metadata.generation", 1)},
                    {"lastTransitionTime", now}};
  if (const auto* old = api::find_path(budget, "status.conditions"); old && old->is_array())
    for (const auto& c : *old)
      if (c.value("type", "") == "DisruptionAllowed" &&
          c.value("status", "") == condition["status"] && c.contains("lastTransitionTime"))
        condition["lastTransitionTime"] = c["lastTransitionTime"];
  return condition;
}

}  // namespace

bool budget_needs_scale(const Object& budget) {
  return !spec_field(budget, "maxUnavailable").is_null() ||
         api::is_percent(spec_field(budget, "minAvailable"));
}

BudgetCounts budget_counts(const Object& budget, long long selected_pods, long long scale) {
  BudgetCounts counts;
  const json& max_unavailable = spec_field(budget, "maxUnavailable");
  const json& min_available = spec_field(budget, "minAvailable");
  if (!max_unavailable.is_null()) {
    counts.expected = scale;
    long long unavailable = api::scaled_int_or_percent(max_unavailable, scale, true).value_or(0);
    counts.desired = std::max(0LL, scale - unavailable);
  } else if (min_available.is_number_integer()) {
    counts.expected = selected_pods;
    counts.desired = min_available.get<long long>();
  } else if (!min_available.is_null()) {
    counts.expected = scale;
    counts.desired = api::scaled_int_or_percent(min_available, scale, true).value_or(0);
  }
  return counts;
}

long long disruptions_allowed(long long current_healthy, long long desired_healthy,
                              long long expected) {
  long long allowed = current_healthy - desired_healthy;
  return expected <= 0 || allowed <= 0 ? 0 : allowed;
}

BudgetPlan plan_budget_status(const Object& budget, const std::vector<Object>& pods,
                              std::optional<long long> scale, const std::string& scale_error,
                              std::chrono::system_clock::time_point now, double time_scale) {
  BudgetPlan plan;
  const std::string now_text = api::format_rfc3339(now);
  json status = budget.value("status", json::object());
  if (!status.is_object()) status = json::object();
  const long long generation = api::int_at(budget, "metadata.generation", 1);
  if (budget_needs_scale(budget) && !scale) {
    // failSafe: whatever the numbers were, no disruption is allowed until they are known.
    for (const char* count : {"currentHealthy", "desiredHealthy", "expectedPods"})
      if (!status.contains(count)) status[count] = 0;
    status["disruptionsAllowed"] = 0;
    status["observedGeneration"] = generation;
    status["conditions"] =
        json::array({allowed_condition(budget, false, "SyncFailed", scale_error, now_text)});
    plan.status = status;
    return plan;
  }

  // disruptedPods: entries for pods still present and not yet being deleted, until they expire.
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(kDisruptionDeletionTimeout) * time_scale);
  json disrupted = json::object();
  const auto* old = api::find_path(budget, "status.disruptedPods");
  std::optional<std::chrono::system_clock::time_point> next_expiry;
  for (const auto& pod : pods) {
    if (api::is_terminating(pod) || !old || !old->is_object()) continue;
    auto name = api::name_of(pod);
    auto it = old->find(name);
    if (it == old->end() || !it->is_string()) continue;
    auto when = api::parse_rfc3339(it->get<std::string>());
    if (!when) continue;
    auto expiry = *when + timeout;
    if (expiry < now) continue;  // it was never deleted: counted as it is again
    disrupted[name] = *it;
    if (!next_expiry || expiry < *next_expiry) next_expiry = expiry;
  }
  if (next_expiry)
    plan.recheck_after = std::chrono::duration_cast<std::chrono::milliseconds>(*next_expiry - now) +
                         std::chrono::milliseconds(1);

  long long healthy = 0;
  for (const auto& pod : pods)
    if (!api::is_terminating(pod) && !disrupted.contains(api::name_of(pod)) &&
        api::pod_is_ready(pod))
      ++healthy;
  auto counts = budget_counts(budget, static_cast<long long>(pods.size()), scale.value_or(0));
  const long long allowed = disruptions_allowed(healthy, counts.desired, counts.expected);

  status["currentHealthy"] = healthy;
  status["desiredHealthy"] = counts.desired;
  status["expectedPods"] = counts.expected;
  status["disruptionsAllowed"] = allowed;
  status["observedGeneration"] = generation;
  if (disrupted.empty())
    status.erase("disruptedPods");
  else
    status["disruptedPods"] = disrupted;
  status["conditions"] = json::array({allowed_condition(
      budget, allowed > 0, allowed > 0 ? "SufficientPods" : "InsufficientPods", "", now_text)});
  plan.status = status;
  return plan;
}

}  // namespace kinda::controller
