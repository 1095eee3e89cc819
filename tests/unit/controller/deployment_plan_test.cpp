// The Deployment and ReplicaSet controllers' decisions without a daemon: the surge/unavailable
// arithmetic, the pod-template-hash, one RollingUpdate/Recreate step, rollback revisions,
// cleanup, the conditions, and the order in which a ReplicaSet deletes pods.
#include <catch2/catch.hpp>

#include "api/timestamps.hpp"
#include "controller/deployment/deployment_plan.hpp"
#include "controller/replicaset/replicaset_plan.hpp"

using namespace kinda::controller;
using nlohmann::json;

namespace {

json deployment_with(long long replicas, json surge, json unavailable,
                     const std::string& image = "v1") {
  return {{"metadata",
           {{"name", "web"}, {"namespace", "default"}, {"uid", "d-uid"}, {"generation", 1}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"strategy",
             {{"type", "RollingUpdate"},
              {"rollingUpdate", {{"maxSurge", surge}, {"maxUnavailable", unavailable}}}}},
            {"revisionHistoryLimit", 10},
            {"progressDeadlineSeconds", 600},
            {"template",
             {{"metadata", {{"labels", {{"app", "web"}}}}},
              {"spec", {{"containers", {{{"name", "c"}, {"image", image}}}}}}}}}}};
}

// A ReplicaSet of `d` as the controller made it, with `replicas` all available.
json settled_rs(const json& d, long long replicas, long long revision, const std::string& created) {
  json rs = new_replicaset(d, replicas, revision);
  rs["metadata"]["uid"] = "rs-" + std::to_string(revision);
  rs["metadata"]["creationTimestamp"] = created;
  rs["metadata"]["generation"] = 1;
  rs["status"] = {{"replicas", replicas},
                  {"readyReplicas", replicas},
                  {"availableReplicas", replicas},
                  {"observedGeneration", 1}};
  return rs;
}

json pod_at(const std::string& name, const std::string& node, const std::string& phase,
            bool is_ready, const std::string& created = "2020-01-01T00:00:00Z") {
  json pod = {{"metadata", {{"name", name}, {"uid", name}, {"creationTimestamp", created}}},
              {"spec", {{"nodeName", node}}},
              {"status", {{"phase", phase}}}};
  if (is_ready)
    pod["status"]["conditions"] = {
        {{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", created}}};
  return pod;
}

long long replicas_of(const json& rs) {
  return rs["spec"]["replicas"].get<long long>();
}

const auto kPlanNow = kinda::api::parse_rfc3339("2021-01-01T00:00:00Z").value();

}  // namespace

TEST_CASE("maxSurge rounds up and maxUnavailable rounds down, as ResolveFenceposts") {
  auto f = resolve_fenceposts(deployment_with(10, "25%", "25%"));
  CHECK(f.surge == 3);
  CHECK(f.unavailable == 2);
  f = resolve_fenceposts(deployment_with(1, "25%", "25%"));
  CHECK(f.surge == 1);
  CHECK(f.unavailable == 0);
  f = resolve_fenceposts(deployment_with(3, 0, "10%"));
  CHECK(f.surge == 0);
  CHECK(f.unavailable == 1);  // both 0: one may be unavailable
  f = resolve_fenceposts(deployment_with(4, 2, 1));
  CHECK(f.surge == 2);
  CHECK(f.unavailable == 1);
  CHECK(max_unavailable(deployment_with(2, 0, 5)) == 2);  // capped at replicas
  json recreate = deployment_with(3, 1, 1);
  recreate["spec"]["strategy"] = {{"type", "Recreate"}};
  CHECK(max_unavailable(recreate) == 0);
  CHECK(resolve_fenceposts(recreate).surge == 0);
}

TEST_CASE("the pod-template-hash is stable, template-dependent and safe-encoded") {
  json d = deployment_with(3, 1, 0);
  auto a = pod_template_hash(d["spec"]["template"], 0);
  CHECK(a == pod_template_hash(d["spec"]["template"], 0));
  CHECK(a != pod_template_hash(deployment_with(3, 1, 0, "v2")["spec"]["template"], 0));
  CHECK(a != pod_template_hash(d["spec"]["template"], 1));
  CHECK(a.size() <= 10);
  CHECK(a.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
  json rs = new_replicaset(d, 1, 1);
  CHECK(rs["metadata"]["name"] == "web-" + a);
  CHECK(rs["spec"]["selector"]["matchLabels"]["pod-template-hash"] == a);
  CHECK(rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == a);
  CHECK(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1");
  CHECK(rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "4");
  CHECK(template_matches(rs, d));
}

TEST_CASE("a new deployment creates its first ReplicaSet at full size") {
  auto plan = plan_deployment(deployment_with(3, "25%", "25%"), {}, {}, kPlanNow);
  REQUIRE(plan.create.is_object());
  CHECK(replicas_of(plan.create) == 3);
  CHECK(plan.revision == "1");
  CHECK(plan.events == std::vector<std::string>{"Scaled up replica set " +
                                                plan.create["metadata"]["name"].get<std::string>() +
                                                " from 0 to 3"});
}

TEST_CASE("RollingUpdate maxSurge=1 maxUnavailable=0 grows the new set by one, then shrinks old") {
  json v1 = deployment_with(3, 1, 0);
  json old = settled_rs(v1, 3, 1, "2020-01-01T00:00:00Z");
  json v2 = deployment_with(3, 1, 0, "v2");
  auto plan = plan_deployment(v2, {old}, {}, kPlanNow);
  REQUIRE(plan.create.is_object());
  CHECK(replicas_of(plan.create) == 1);  // 3 + surge 1 - 3 running
  CHECK(plan.create["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2");
  CHECK(plan.update.empty());  // nothing old goes before the new pod is available

  json fresh = plan.create;
  fresh["metadata"]["creationTimestamp"] = "2020-06-01T00:00:00Z";
  fresh["status"] = {{"replicas", 1}};  // not available yet
  plan = plan_deployment(v2, {old, fresh}, {}, kPlanNow);
  CHECK(plan.create.is_null());
  CHECK(plan.update.empty());

  fresh["status"] = {{"replicas", 1}, {"readyReplicas", 1}, {"availableReplicas", 1}};
  plan = plan_deployment(v2, {old, fresh}, {}, kPlanNow);
  REQUIRE(plan.update.size() == 1);
  CHECK(plan.update[0]["metadata"]["name"] == old["metadata"]["name"]);
  CHECK(replicas_of(plan.update[0]) == 2);
}

TEST_CASE("RollingUpdate maxSurge=0 maxUnavailable=2 scales old down first") {
  json v1 = deployment_with(4, 0, 2);
  json old = settled_rs(v1, 4, 1, "2020-01-01T00:00:00Z");
  json v2 = deployment_with(4, 0, 2, "v2");
  auto plan = plan_deployment(v2, {old}, {}, kPlanNow);
  REQUIRE(plan.create.is_object());
  CHECK(replicas_of(plan.create) == 0);  // no room to surge
  REQUIRE(plan.update.size() == 1);
  CHECK(replicas_of(plan.update[0]) == 2);  // 4 - maxUnavailable
}

TEST_CASE("Recreate scales every old set to 0 and waits for its pods before the new set") {
  json v1 = deployment_with(2, 1, 0);
  v1["spec"]["strategy"] = {{"type", "Recreate"}};
  json old = settled_rs(v1, 2, 1, "2020-01-01T00:00:00Z");
  json v2 = v1;
  v2["spec"]["template"]["spec"]["containers"][0]["image"] = "v2";
  auto plan = plan_deployment(v2, {old}, {}, kPlanNow);
  CHECK(plan.create.is_null());
  REQUIRE(plan.update.size() == 1);
  CHECK(replicas_of(plan.update[0]) == 0);

  old["spec"]["replicas"] = 0;
  old["status"] = {{"replicas", 0}, {"observedGeneration", 1}};
  json lingering = pod_at("web-old-1", "n1", "Running", false);
  lingering["metadata"]["ownerReferences"] = {
      {{"kind", "ReplicaSet"}, {"controller", true}, {"uid", "rs-1"}, {"name", "x"}}};
  plan = plan_deployment(v2, {old}, {lingering}, kPlanNow);
  CHECK(plan.create.is_null());  // an old pod still runs
  plan = plan_deployment(v2, {old}, {}, kPlanNow);
  REQUIRE(plan.create.is_object());
  CHECK(replicas_of(plan.create) == 2);
}

TEST_CASE("going back to an old template reuses its ReplicaSet with the next revision") {
  json v1 = deployment_with(2, 1, 0);
  json v2 = deployment_with(2, 1, 0, "v2");
  json rs1 = settled_rs(v1, 0, 1, "2020-01-01T00:00:00Z");
  rs1["status"] = {{"replicas", 0}, {"observedGeneration", 1}};
  json rs2 = settled_rs(v2, 2, 2, "2020-02-01T00:00:00Z");
  auto plan = plan_deployment(v1, {rs1, rs2}, {}, kPlanNow);
  CHECK(plan.create.is_null());
  CHECK(plan.revision == "3");
  bool found = false;
  for (const auto& rs : plan.update)
    if (rs["metadata"]["name"] == rs1["metadata"]["name"]) {
      found = true;
      CHECK(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3");
      CHECK(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1");
      CHECK(replicas_of(rs) == 1);  // surges by one
    }
  CHECK(found);
}

TEST_CASE("revisionHistoryLimit deletes the oldest idle sets once the rollout is complete") {
  json d = deployment_with(1, 1, 0, "v4");
  d["spec"]["revisionHistoryLimit"] = 1;
  std::vector<json> sets;
  for (int i = 1; i <= 3; ++i) {
    json rs = settled_rs(deployment_with(1, 1, 0, "v" + std::to_string(i)), 0, i,
                         "2020-0" + std::to_string(i) + "-01T00:00:00Z");
    rs["status"] = {{"replicas", 0}, {"observedGeneration", 1}};
    sets.push_back(rs);
  }
  sets.push_back(settled_rs(d, 1, 4, "2020-05-01T00:00:00Z"));
  d["status"] = {
      {"replicas", 1}, {"updatedReplicas", 1}, {"availableReplicas", 1}, {"observedGeneration", 1}};
  auto plan = plan_deployment(d, sets, {}, kPlanNow);
  CHECK(plan.remove == std::vector<std::string>{sets[0]["metadata"]["name"].get<std::string>(),
                                                sets[1]["metadata"]["name"].get<std::string>()});
}

TEST_CASE("Progressing reports NewReplicaSetAvailable, then ProgressDeadlineExceeded when stuck") {
  json d = deployment_with(1, 1, 0);
  json rs = settled_rs(d, 1, 1, "2020-01-01T00:00:00Z");
  auto plan = plan_deployment(d, {rs}, {}, kPlanNow);
  auto condition = [](const json& status, const std::string& type) {
    for (const auto& c : status["conditions"])
      if (c["type"] == type) return c;
    return json();
  };
  CHECK(condition(plan.status, "Available")["reason"] == "MinimumReplicasAvailable");
  CHECK(condition(plan.status, "Progressing")["reason"] == "NewReplicaSetAvailable");

  json stuck = deployment_with(1, 1, 0, "v2");
  stuck["spec"]["progressDeadlineSeconds"] = 10;
  json fresh = settled_rs(stuck, 1, 2, "2020-06-01T00:00:00Z");
  fresh["status"] = {{"replicas", 1}};
  stuck["status"] = {{"replicas", 2},
                     {"updatedReplicas", 1},
                     {"readyReplicas", 1},
                     {"availableReplicas", 1},
                     {"conditions",
                      {{{"type", "Progressing"},
                        {"status", "True"},
                        {"reason", "ReplicaSetUpdated"},
                        {"lastUpdateTime", "2020-12-31T23:59:00Z"},
                        {"lastTransitionTime", "2020-12-31T23:59:00Z"}}}}};
  plan = plan_deployment(stuck, {rs, fresh}, {}, kPlanNow);
  CHECK(condition(plan.status, "Progressing")["reason"] == "ProgressDeadlineExceeded");
  CHECK(condition(plan.status, "Progressing")["status"] == "False");
}

TEST_CASE("a paused deployment does not roll out a new template") {
  json v1 = deployment_with(2, 1, 0);
  json old = settled_rs(v1, 2, 1, "2020-01-01T00:00:00Z");
  json v2 = deployment_with(2, 1, 0, "v2");
  v2["spec"]["paused"] = true;
  auto plan = plan_deployment(v2, {old}, {}, kPlanNow);
  CHECK(plan.create.is_null());
  CHECK(plan.update.empty());
  bool paused = false;
  for (const auto& c : plan.status["conditions"])
    if (c["type"] == "Progressing") paused = c["reason"] == "DeploymentPaused";
  CHECK(paused);
}

TEST_CASE("a scale-up mid-rollout is spread over the sets in proportion") {
  json v1 = deployment_with(10, 3, 2);
  json old = settled_rs(v1, 8, 1, "2020-01-01T00:00:00Z");
  json v2 = deployment_with(10, 3, 2, "v2");
  json fresh = settled_rs(v2, 5, 2, "2020-06-01T00:00:00Z");
  fresh["status"] = {{"replicas", 5}};
  json bigger = deployment_with(20, 3, 2, "v2");  // max-replicas annotated 13; now 23
  auto plan = plan_deployment(bigger, {old, fresh}, {}, kPlanNow);
  long long total = 0;
  for (const auto& rs : plan.update) total += replicas_of(rs);
  CHECK(total == 23);
}

TEST_CASE("a ReplicaSet deletes unscheduled, pending, then unready pods first") {
  std::vector<json> pods = {
      pod_at("running-old", "n1", "Running", true, "2020-01-01T00:00:00Z"),
      pod_at("pending", "n1", "Pending", false),
      pod_at("unscheduled", "", "Pending", false),
      pod_at("unready", "n2", "Running", false),
      pod_at("running-new", "n2", "Running", true, "2020-12-31T23:00:00Z"),
  };
  auto ranked = rank_pods_for_deletion(pods, kPlanNow);
  std::vector<std::string> names;
  for (const auto& p : ranked) names.push_back(p["metadata"]["name"]);
  CHECK(names == std::vector<std::string>{"unscheduled", "pending", "unready", "running-new",
                                          "running-old"});
}

TEST_CASE("a ReplicaSet deletes first the pods on the node most crowded with the owner's pods") {
  std::vector<json> pods = {pod_at("alone", "n1", "Running", true),
                            pod_at("crowded", "n2", "Running", true)};
  // A sibling set's pods on n2 make it the more crowded node.
  std::vector<json> related = pods;
  related.push_back(pod_at("sibling-1", "n2", "Running", true));
  related.push_back(pod_at("sibling-2", "n1", "Running", true));
  related.push_back(pod_at("sibling-3", "n2", "Running", true));
  auto ranked = rank_pods_for_deletion(pods, kPlanNow, related);
  CHECK(ranked[0]["metadata"]["name"] == "crowded");
}

TEST_CASE("a ReplicaSet plan creates the missing pods and counts ready and available ones") {
  json rs = {
      {"metadata", {{"name", "web-abc"}, {"uid", "u"}, {"generation", 2}}},
      {"spec",
       {{"replicas", 3},
        {"minReadySeconds", 30},
        {"selector", {{"matchLabels", {{"app", "web"}}}}},
        {"template", {{"metadata", {{"labels", {{"app", "web"}}}}}, {"spec", json::object()}}}}}};
  std::vector<json> pods = {pod_at("a", "n1", "Running", true, "2020-01-01T00:00:00Z"),
                            pod_at("b", "n1", "Running", true, "2020-12-31T23:59:50Z")};
  for (auto& p : pods) p["metadata"]["labels"] = {{"app", "web"}};
  auto plan = plan_replicaset(rs, pods, kPlanNow);
  CHECK(plan.create == 1);
  CHECK(plan.status["replicas"] == 2);
  CHECK(plan.status["readyReplicas"] == 2);
  CHECK(plan.status["availableReplicas"] == 1);  // b is ready for 10 s of 30
  CHECK(plan.status["fullyLabeledReplicas"] == 2);
  CHECK(plan.status["observedGeneration"] == 2);
  CHECK(plan.requeue_after.count() > 0);
  json pod = pod_from_replicaset(rs);
  CHECK(pod["metadata"]["generateName"] == "web-abc-");
  CHECK(pod["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet");
}
