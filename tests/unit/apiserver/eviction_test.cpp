// The eviction subresource's decision against a pod's disruption budgets, in the API server's
// words: delete, delete and spend one allowed disruption, 429 naming the budget, 500 for two.
#include <catch2/catch.hpp>

#include "apiserver/registry/eviction.hpp"

using namespace kinda::apiserver;
using nlohmann::json;

namespace {

json evicted_pod(bool ready, const std::string& phase = "Running") {
  return {{"metadata", {{"name", "web-1"}, {"labels", {{"app", "web"}}}}},
          {"status",
           {{"phase", phase},
            {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
}

json guarding_budget(const std::string& name, long long allowed, long long current = 3,
                     long long desired = 2) {
  return {{"metadata", {{"name", name}, {"generation", 1}}},
          {"spec", {{"minAvailable", desired}, {"selector", {{"matchLabels", {{"app", "web"}}}}}}},
          {"status",
           {{"observedGeneration", 1},
            {"disruptionsAllowed", allowed},
            {"currentHealthy", current},
            {"desiredHealthy", desired},
            {"conditions", {{{"type", "DisruptionAllowed"}, {"status", "True"}}}}}}};
}

}  // namespace

TEST_CASE("an eviction the budget allows spends one disruption") {
  auto verdict = judge_eviction(evicted_pod(true), {guarding_budget("web", 1)});
  CHECK(verdict.kind == EvictionVerdict::Kind::DeleteAndSpend);
  CHECK(verdict.budget == "web");
  auto spent = spend_disruption(guarding_budget("web", 1), "web-1", "2026-01-01T00:00:00Z");
  CHECK(spent["status"]["disruptionsAllowed"] == 0);
  CHECK(spent["status"]["disruptedPods"]["web-1"] == "2026-01-01T00:00:00Z");
  CHECK(spent["status"]["conditions"][0]["status"] == "False");
  CHECK(spent["status"]["conditions"][0]["reason"] == "InsufficientPods");
}

TEST_CASE("a budget with no disruption left answers 429 naming it") {
  auto verdict = judge_eviction(evicted_pod(true), {guarding_budget("web", 0, 2, 2)});
  REQUIRE(verdict.kind == EvictionVerdict::Kind::Refuse);
  CHECK(verdict.refusal.code == 429);
  CHECK(verdict.refusal.reason == "TooManyRequests");
  CHECK(verdict.refusal.message ==
        "Cannot evict pod as it would violate the pod's disruption budget.");
  REQUIRE(verdict.refusal.causes.size() == 1);
  CHECK(verdict.refusal.causes[0].reason == "DisruptionBudget");
  CHECK(verdict.refusal.causes[0].message ==
        "The disruption budget web needs 2 healthy pods and has 2 currently");
}

TEST_CASE("budgets not yet observed, several budgets, and pods no budget guards") {
  json stale = guarding_budget("web", 1);
  stale["metadata"]["generation"] = 2;
  auto verdict = judge_eviction(evicted_pod(true), {stale});
  CHECK(verdict.refusal.code == 429);
  CHECK(verdict.refusal.causes[0].message ==
        "The disruption budget web is still being processed by the server.");

  auto two = judge_eviction(evicted_pod(true), {guarding_budget("a", 1), guarding_budget("b", 1)});
  CHECK(two.refusal.code == 500);

  CHECK(judge_eviction(evicted_pod(true), {}).kind == EvictionVerdict::Kind::Delete);
  CHECK(judge_eviction(evicted_pod(false, "Pending"), {guarding_budget("web", 0)}).kind ==
        EvictionVerdict::Kind::Delete);
  json unselected = guarding_budget("web", 0);
  unselected["spec"].erase("selector");  // policy/v1: no selector selects nothing
  CHECK(judge_eviction(evicted_pod(true), {unselected}).kind == EvictionVerdict::Kind::Delete);
}

TEST_CASE("an unready pod goes while the budget is met, or always with AlwaysAllow") {
  CHECK(judge_eviction(evicted_pod(false), {guarding_budget("web", 0, 2, 2)}).kind ==
        EvictionVerdict::Kind::Delete);
  CHECK(judge_eviction(evicted_pod(false), {guarding_budget("web", 0, 1, 2)}).kind ==
        EvictionVerdict::Kind::Refuse);
  json always = guarding_budget("web", 0, 1, 2);
  always["spec"]["unhealthyPodEvictionPolicy"] = "AlwaysAllow";
  CHECK(judge_eviction(evicted_pod(false), {always}).kind == EvictionVerdict::Kind::Delete);
}
