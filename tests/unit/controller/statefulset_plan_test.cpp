// The StatefulSet controller's decisions, rule by rule (SEMANTICS.md), without a daemon.
#include <catch2/catch.hpp>

#include "controller/statefulset/controller_history.hpp"
#include "controller/statefulset/statefulset_plan.hpp"

using namespace kinda::controller;
using nlohmann::json;

namespace {

json make_set(int replicas, const std::string& image = "v1") {
  return {{"metadata", {{"name", "web"}, {"namespace", "default"}, {"uid", "set-uid"}}},
          {"spec",
           {{"replicas", replicas},
            {"serviceName", "web"},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"updateStrategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", "web"}}}}},
              {"spec", {{"containers", {{{"name", "c"}, {"image", image}}}}}}}}}}};
}

json ready_pod(const json& set, int ordinal, const std::string& revision) {
  json pod = pod_for_ordinal(set, ordinal, revision);
  pod["metadata"]["uid"] = "pod-" + std::to_string(ordinal);
  pod["status"] = {
      {"phase", "Running"},
      {"conditions",
       {{{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", "2020-01-01T00:00:00Z"}}}}};
  return pod;
}

std::vector<std::string> deleted(const SetPlan& plan) {
  std::vector<std::string> names;
  for (const auto& a : plan.actions)
    if (a.kind == SetAction::Kind::DeletePod) names.push_back(a.object["metadata"]["name"]);
  return names;
}

const json* created_pod(const SetPlan& plan) {
  for (const auto& a : plan.actions)
    if (a.kind == SetAction::Kind::CreatePod) return &a.object;
  return nullptr;
}

const auto now = std::chrono::system_clock::now();

}  // namespace

TEST_CASE("OrderedReady creates one pod at a time, lowest ordinal first") {
  auto set = make_set(3);
  auto rev = template_revision(set);
  auto plan = plan_statefulset(set, {}, {}, now);
  REQUIRE(created_pod(plan));
  CHECK((*created_pod(plan))["metadata"]["name"] == "web-0");
  json pending = pod_for_ordinal(set, 0, rev);
  pending["status"] = {{"phase", "Pending"}};
  CHECK_FALSE(created_pod(plan_statefulset(set, {pending}, {}, now)));
  plan = plan_statefulset(set, {ready_pod(set, 0, rev)}, {}, now);
  REQUIRE(created_pod(plan));
  CHECK((*created_pod(plan))["metadata"]["name"] == "web-1");
}

TEST_CASE("a rolling update replaces the highest ordinal first, one at a time") {
  auto old_set = make_set(3, "v1");
  auto old_rev = template_revision(old_set);
  auto set = make_set(3, "v2");
  SetRevisions revs{old_rev, template_revision(set), old_set};
  std::vector<json> pods = {ready_pod(old_set, 0, old_rev), ready_pod(old_set, 1, old_rev),
                            ready_pod(old_set, 2, old_rev)};
  auto plan = plan_statefulset(set, pods, {}, now, revs);
  CHECK(deleted(plan) == std::vector<std::string>{"web-2"});
  CHECK(plan.status["currentRevision"] == old_rev);
  CHECK(plan.status["updateRevision"] == template_revision(set));
  CHECK(plan.status["updatedReplicas"] == 0);

  pods[2] = ready_pod(set, 2, template_revision(set));
  plan = plan_statefulset(set, pods, {}, now, revs);
  CHECK(deleted(plan) == std::vector<std::string>{"web-1"});
  CHECK(plan.status["updatedReplicas"] == 1);
  CHECK(plan.status["currentRevision"] == old_rev);

  for (int i = 0; i < 3; ++i) pods[i] = ready_pod(set, i, template_revision(set));
  plan = plan_statefulset(set, pods, {}, now, revs);
  CHECK(deleted(plan).empty());
  CHECK(plan.status["currentRevision"] == template_revision(set));
  CHECK(plan.status["currentReplicas"] == 3);
}

TEST_CASE("maxUnavailable lets several pods go at once, never below the partition") {
  auto old_set = make_set(4, "v1");
  auto old_rev = template_revision(old_set);
  auto set = make_set(4, "v2");
  set["spec"]["updateStrategy"]["rollingUpdate"] = {{"partition", 1}, {"maxUnavailable", 5}};
  std::vector<json> pods;
  for (int i = 0; i < 4; ++i) pods.push_back(ready_pod(old_set, i, old_rev));
  auto plan = plan_statefulset(set, pods, {}, now, {old_rev, template_revision(set), old_set});
  CHECK(deleted(plan) == std::vector<std::string>{"web-3", "web-2", "web-1"});
}

TEST_CASE("below the partition a recreated pod comes back at the current revision") {
  auto old_set = make_set(3, "v1");
  auto old_rev = template_revision(old_set);
  auto set = make_set(3, "v2");
  set["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 2;
  auto new_rev = template_revision(set);
  std::vector<json> pods = {ready_pod(old_set, 1, old_rev), ready_pod(set, 2, new_rev)};
  auto plan = plan_statefulset(set, pods, {}, now, {old_rev, new_rev, old_set});
  REQUIRE(created_pod(plan));
  const json& pod = *created_pod(plan);
  CHECK(pod["metadata"]["name"] == "web-0");
  CHECK(pod["metadata"]["labels"]["controller-revision-hash"] == old_rev);
  CHECK(pod["spec"]["containers"][0]["image"] == "v1");
  // A partitioned rollout never completes: the current revision stays.
  pods.push_back(ready_pod(old_set, 0, old_rev));
  plan = plan_statefulset(set, pods, {}, now, {old_rev, new_rev, old_set});
  CHECK(deleted(plan).empty());
  CHECK(plan.status["currentRevision"] == old_rev);
  CHECK(plan.status["updatedReplicas"] == 1);
}

TEST_CASE("OnDelete replaces nothing; a deleted pod returns at the update revision") {
  auto old_set = make_set(2, "v1");
  auto old_rev = template_revision(old_set);
  auto set = make_set(2, "v2");
  set["spec"]["updateStrategy"] = {{"type", "OnDelete"}};
  auto new_rev = template_revision(set);
  std::vector<json> pods = {ready_pod(old_set, 0, old_rev), ready_pod(old_set, 1, old_rev)};
  auto plan = plan_statefulset(set, pods, {}, now, {old_rev, new_rev, old_set});
  CHECK(deleted(plan).empty());
  pods.pop_back();
  plan = plan_statefulset(set, pods, {}, now, {old_rev, new_rev, old_set});
  REQUIRE(created_pod(plan));
  CHECK((*created_pod(plan))["metadata"]["labels"]["controller-revision-hash"] == new_rev);
}

TEST_CASE("ordinals.start shifts the names; pods outside the range go, highest first") {
  auto set = make_set(2);
  set["spec"]["ordinals"] = {{"start", 5}};
  auto rev = template_revision(set);
  auto plan = plan_statefulset(set, {}, {}, now);
  REQUIRE(created_pod(plan));
  CHECK((*created_pod(plan))["metadata"]["name"] == "web-5");
  std::vector<json> pods = {ready_pod(set, 0, rev), ready_pod(set, 1, rev), ready_pod(set, 5, rev),
                            ready_pod(set, 6, rev)};
  plan = plan_statefulset(set, pods, {}, now);
  CHECK(deleted(plan) == std::vector<std::string>{"web-1"});
}

TEST_CASE("revision names are stable, collide apart, and hold the template") {
  auto set = make_set(1, "v1");
  CHECK(revision_name(set, 0) == revision_name(make_set(3, "v1"), 0));
  CHECK(revision_name(set, 0) != revision_name(make_set(1, "v2"), 0));
  CHECK(revision_name(set, 0) != revision_name(set, 1));
  auto revision = new_revision(set, revision_name(set, 0), 1);
  CHECK(revision["revision"] == 1);
  CHECK(revision["data"]["spec"]["template"]["$patch"] == "replace");
  CHECK(revision["metadata"]["labels"]["app"] == "web");
  CHECK(holds_template(revision, set));
  CHECK_FALSE(holds_template(revision, make_set(1, "v2")));
  CHECK(set_at_revision(make_set(1, "v2"), revision)["spec"]["template"] ==
        set["spec"]["template"]);
}

TEST_CASE("history is trimmed oldest first, never a revision in use") {
  std::vector<json> revisions;
  for (int i = 1; i <= 5; ++i)
    revisions.push_back({{"metadata", {{"name", "r" + std::to_string(i)}}}, {"revision", i}});
  CHECK(revisions_to_trim(revisions, {"r5", "r1"}, 2) == std::vector<std::string>{"r2"});
  CHECK(revisions_to_trim(revisions, {"r5"}, 10).empty());
  CHECK(revisions_to_trim(revisions, {}, 0).size() == 5);
}
