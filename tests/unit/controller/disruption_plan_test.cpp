// The disruption controller's arithmetic: expected pods, desired healthy (percentages rounded
// up), disruptions allowed, disrupted pods that expire, and the fail-safe without a scale.
#include <catch2/catch.hpp>

#include "api/timestamps.hpp"
#include "controller/disruption/disruption_plan.hpp"

using namespace kinda::controller;
using nlohmann::json;

namespace {

json budget_with(json spec) {
  spec["selector"] = {{"matchLabels", {{"app", "web"}}}};
  return {{"metadata", {{"name", "web"}, {"namespace", "default"}, {"generation", 2}}},
          {"spec", spec}};
}

json budget_pod(const std::string& name, bool ready, bool terminating = false) {
  json pod = {{"metadata", {{"name", name}, {"labels", {{"app", "web"}}}}},
              {"status",
               {{"phase", "Running"},
                {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
  if (terminating) pod["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  return pod;
}

}  // namespace

TEST_CASE("an integer minAvailable counts the selected pods") {
  auto counts = budget_counts(budget_with({{"minAvailable", 2}}), 3, 0);
  CHECK(counts.expected == 3);
  CHECK(counts.desired == 2);
  CHECK_FALSE(budget_needs_scale(budget_with({{"minAvailable", 2}})));
}

TEST_CASE("percentages scale against the controllers' replicas, rounded up") {
  CHECK(budget_needs_scale(budget_with({{"minAvailable", "50%"}})));
  CHECK(budget_counts(budget_with({{"minAvailable", "50%"}}), 3, 3).desired == 2);  // 1.5 → 2
  CHECK(budget_counts(budget_with({{"minAvailable", "34%"}}), 3, 3).desired == 2);  // 1.02 → 2
  // maxUnavailable 50% of 3 is 2 (rounded up), so 1 must stay healthy.
  auto counts = budget_counts(budget_with({{"maxUnavailable", "50%"}}), 3, 3);
  CHECK(counts.expected == 3);
  CHECK(counts.desired == 1);
  CHECK(budget_counts(budget_with({{"maxUnavailable", 5}}), 3, 3).desired == 0);
}

TEST_CASE("disruptions allowed never go below zero, and are zero with nothing expected") {
  CHECK(disruptions_allowed(3, 2, 3) == 1);
  CHECK(disruptions_allowed(2, 2, 3) == 0);
  CHECK(disruptions_allowed(1, 2, 3) == 0);
  CHECK(disruptions_allowed(2, 0, 0) == 0);
}

TEST_CASE("the status counts ready pods that are neither terminating nor recently evicted") {
  auto now = std::chrono::system_clock::now();
  json budget = budget_with({{"minAvailable", 2}});
  budget["status"]["disruptedPods"] = {{"web-2", kinda::api::format_rfc3339(now)},
                                       {"gone", kinda::api::format_rfc3339(now)}};
  std::vector<json> pods = {budget_pod("web-0", true), budget_pod("web-1", true, true),
                            budget_pod("web-2", true), budget_pod("web-3", true)};
  auto plan = plan_budget_status(budget, pods, 0, "", now, 1.0);
  CHECK(plan.status["currentHealthy"] == 2);  // web-0 and web-3
  CHECK(plan.status["desiredHealthy"] == 2);
  CHECK(plan.status["expectedPods"] == 4);
  CHECK(plan.status["disruptionsAllowed"] == 0);
  CHECK(plan.status["observedGeneration"] == 2);
  CHECK(plan.status["disruptedPods"] == json{{"web-2", kinda::api::format_rfc3339(now)}});
  CHECK(plan.status["conditions"][0]["reason"] == "InsufficientPods");
  CHECK(plan.status["conditions"][0]["status"] == "False");
  CHECK(plan.recheck_after.count() > 0);

  // Past the deletion timeout the entry is dropped and the pod counts again.
  auto later = now + std::chrono::minutes(3);
  auto again =
      plan_budget_status(plan.status.is_null() ? budget : json(budget), pods, 0, "", later, 1.0);
  CHECK(again.status["currentHealthy"] == 3);
  CHECK(again.status["disruptionsAllowed"] == 1);
  CHECK_FALSE(again.status.contains("disruptedPods"));
  CHECK(again.status["conditions"][0]["reason"] == "SufficientPods");
}

TEST_CASE("without the controllers' scale a percentage budget fails safe") {
  auto plan = plan_budget_status(budget_with({{"maxUnavailable", 1}}), {budget_pod("a", true)},
                                 std::nullopt, "found no controllers for pod \"a\"",
                                 std::chrono::system_clock::now(), 1.0);
  CHECK(plan.status["disruptionsAllowed"] == 0);
  CHECK(plan.status["conditions"][0]["reason"] == "SyncFailed");
  CHECK(plan.status["conditions"][0]["message"] == "found no controllers for pod \"a\"");
}
