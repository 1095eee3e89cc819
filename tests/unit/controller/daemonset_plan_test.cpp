// The DaemonSet plan: which nodes run a pod (selector, taints, default tolerations), the pods to
// create and delete, the RollingUpdate's budget and the status counts.
#include <catch2/catch.hpp>

#include "controller/daemonset/daemonset_plan.hpp"

using namespace kinda::controller;
using nlohmann::json;

namespace {

json daemon_set(json strategy = {{"type", "RollingUpdate"},
                                 {"rollingUpdate", {{"maxUnavailable", 1}, {"maxSurge", 0}}}}) {
  return {{"metadata",
           {{"name", "agent"}, {"namespace", "default"}, {"uid", "ds-uid"}, {"generation", 2}}},
          {"spec",
           {{"selector", {{"matchLabels", {{"app", "agent"}}}}},
            {"updateStrategy", strategy},
            {"template",
             {{"metadata", {{"labels", {{"app", "agent"}}}}},
              {"spec", {{"containers", {{{"name", "a"}, {"image", "busybox"}}}}}}}}}}};
}

json ready_node(const std::string& name, json taints = json::array()) {
  return {{"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
          {"spec", {{"taints", taints}}},
          {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
}

json daemon_pod(const std::string& name, const std::string& node, const std::string& hash,
                bool ready = true) {
  return {{"metadata",
           {{"name", name},
            {"creationTimestamp", "2026-01-01T00:00:00Z"},
            {"labels", {{"app", "agent"}, {"controller-revision-hash", hash}}}}},
          {"spec", {{"nodeName", node}}},
          {"status",
           {{"phase", "Running"},
            {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
}

int count(const DaemonPlan& plan, DaemonAction::Kind kind) {
  return static_cast<int>(std::count_if(plan.actions.begin(), plan.actions.end(),
                                        [&](const DaemonAction& a) { return a.kind == kind; }));
}

}  // namespace

TEST_CASE("every fitting node without a pod gets one, pinned by node affinity") {
  auto plan = plan_daemonset(daemon_set(), {ready_node("n1"), ready_node("n2")},
                             {daemon_pod("agent-aaaaa", "n1", "h1")}, "h1",
                             std::chrono::system_clock::now());
  REQUIRE(count(plan, DaemonAction::Kind::CreatePod) == 1);
  const auto& pod = plan.actions[0].pod;
  CHECK(plan.actions[0].node == "n2");
  CHECK(pod["metadata"]["generateName"] == "agent-");
  CHECK(pod["metadata"]["labels"]["controller-revision-hash"] == "h1");
  CHECK(pod["metadata"]["labels"]["pod-template-generation"] == "2");
  CHECK(pod["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet");
  CHECK(daemon_pod_node(pod) == "n2");
  CHECK(plan.status["desiredNumberScheduled"] == 2);
  CHECK(plan.status["currentNumberScheduled"] == 1);
}

TEST_CASE("daemon pods tolerate cordon; NoSchedule keeps, NoExecute removes") {
  json cordoned =
      ready_node("n1", {{{"key", "node.kubernetes.io/unschedulable"}, {"effect", "NoSchedule"}}});
  CHECK(daemon_node_fit(daemon_set(), cordoned).should_run);
  json no_schedule =
      ready_node("n1", {{{"key", "dedicated"}, {"value", "db"}, {"effect", "NoSchedule"}}});
  auto fit = daemon_node_fit(daemon_set(), no_schedule);
  CHECK_FALSE(fit.should_run);
  CHECK(fit.should_continue);
  json no_execute = ready_node("n1", {{{"key", "dedicated"}, {"effect", "NoExecute"}}});
  CHECK_FALSE(daemon_node_fit(daemon_set(), no_execute).should_continue);
  auto plan = plan_daemonset(daemon_set(), {no_execute}, {daemon_pod("agent-aaaaa", "n1", "h1")},
                             "h1", std::chrono::system_clock::now());
  CHECK(count(plan, DaemonAction::Kind::DeletePod) == 1);
  CHECK(plan.status["numberMisscheduled"] == 1);
  CHECK(daemon_pod_tolerations(json::object()).size() == 6);
}

TEST_CASE("nodeSelector picks the nodes") {
  json ds = daemon_set();
  ds["spec"]["template"]["spec"]["nodeSelector"] = {{"disk", "ssd"}};
  json ssd = ready_node("n1");
  ssd["metadata"]["labels"]["disk"] = "ssd";
  CHECK(daemon_node_fit(ds, ssd).should_run);
  CHECK_FALSE(daemon_node_fit(ds, ready_node("n2")).should_continue);
}

TEST_CASE("a node's extra pods and pods of gone nodes are deleted") {
  auto plan =
      plan_daemonset(daemon_set(), {ready_node("n1")},
                     {daemon_pod("agent-aaaaa", "n1", "h1"), daemon_pod("agent-bbbbb", "n1", "h1"),
                      daemon_pod("agent-ccccc", "gone", "h1")},
                     "h1", std::chrono::system_clock::now());
  CHECK(count(plan, DaemonAction::Kind::DeletePod) == 2);
  CHECK(count(plan, DaemonAction::Kind::CreatePod) == 0);
}

TEST_CASE("a RollingUpdate replaces at most maxUnavailable available old pods") {
  std::vector<json> nodes = {ready_node("n1"), ready_node("n2"), ready_node("n3")};
  std::vector<json> old_pods = {daemon_pod("agent-aaaaa", "n1", "old"),
                                daemon_pod("agent-bbbbb", "n2", "old"),
                                daemon_pod("agent-ccccc", "n3", "old")};
  auto plan =
      plan_daemonset(daemon_set(), nodes, old_pods, "new", std::chrono::system_clock::now());
  CHECK(count(plan, DaemonAction::Kind::DeletePod) == 1);
  CHECK(plan.status["updatedNumberScheduled"] == 0);

  // One node already runs an unready new pod: no budget left.
  std::vector<json> mid = {daemon_pod("agent-ddddd", "n1", "new", false), old_pods[1], old_pods[2]};
  auto waiting = plan_daemonset(daemon_set(), nodes, mid, "new", std::chrono::system_clock::now());
  CHECK(count(waiting, DaemonAction::Kind::DeletePod) == 0);
  CHECK(waiting.status["updatedNumberScheduled"] == 1);
  CHECK(waiting.status["numberUnavailable"] == 1);

  // An unavailable old pod is replaced whatever the budget.
  std::vector<json> sick = {daemon_pod("agent-ddddd", "n1", "new", false),
                            daemon_pod("agent-bbbbb", "n2", "old", false), old_pods[2]};
  auto replaced =
      plan_daemonset(daemon_set(), nodes, sick, "new", std::chrono::system_clock::now());
  REQUIRE(count(replaced, DaemonAction::Kind::DeletePod) == 1);
  CHECK(replaced.actions[0].pod["metadata"]["name"] == "agent-bbbbb");

  // OnDelete: nothing is replaced.
  auto on_delete = plan_daemonset(daemon_set({{"type", "OnDelete"}}), nodes, old_pods, "new",
                                  std::chrono::system_clock::now());
  CHECK(on_delete.actions.empty());
}

TEST_CASE("maxSurge starts the new pod beside the old one") {
  json ds = daemon_set(
      {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", 0}, {"maxSurge", 1}}}});
  std::vector<json> nodes = {ready_node("n1"), ready_node("n2")};
  auto plan = plan_daemonset(
      ds, nodes, {daemon_pod("agent-aaaaa", "n1", "old"), daemon_pod("agent-bbbbb", "n2", "old")},
      "new", std::chrono::system_clock::now());
  CHECK(count(plan, DaemonAction::Kind::CreatePod) == 1);
  CHECK(count(plan, DaemonAction::Kind::DeletePod) == 0);
  auto done = plan_daemonset(
      ds, nodes,
      {daemon_pod("agent-aaaaa", "n1", "old"), daemon_pod("agent-ccccc", "n1", "new"),
       daemon_pod("agent-bbbbb", "n2", "old")},
      "new", std::chrono::system_clock::now());
  // n1's new pod is available: its old pod goes; n2 may surge now.
  CHECK(count(done, DaemonAction::Kind::DeletePod) == 1);
  CHECK(count(done, DaemonAction::Kind::CreatePod) == 1);
}

TEST_CASE("the rolling budget scales percentages against the desired nodes, rounded up") {
  json ds = daemon_set(
      {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", "10%"}, {"maxSurge", 0}}}});
  CHECK(rolling_budget(ds, 3).max_unavailable == 1);
  ds["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] = "50%";
  CHECK(rolling_budget(ds, 5).max_unavailable == 3);
  ds["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] = 0;
  CHECK(rolling_budget(ds, 5).max_unavailable == 1);  // both 0: 1
}
