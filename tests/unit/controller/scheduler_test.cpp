// Where the scheduler places a pod: filters as the default scheduler's plugins word them, and a
// spread that puts the replicas of one set on different nodes.
#include <catch2/catch.hpp>

#include "controller/node/node_status.hpp"
#include "controller/scheduler/scheduler.hpp"

using kinda::controller::add_taints;
using kinda::controller::lost_conditions;
using kinda::controller::node_name_less;
using kinda::controller::ready_conditions;
using kinda::controller::schedule_pod;
using nlohmann::json;

namespace {

const std::string kNow = "2026-01-01T00:00:00Z";

json node(const std::string& name) {
  return {{"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
          {"spec", json::object()},
          {"status", {{"conditions", ready_conditions(kNow)}}}};
}

json cordoned(json n) {
  n["spec"]["unschedulable"] = true;
  n["spec"]["taints"] =
      add_taints(json::array(), "node.kubernetes.io/unschedulable", {"NoSchedule"}, kNow);
  return n;
}

json lost(json n) {
  n["status"]["conditions"] = lost_conditions(n["status"]["conditions"], kNow);
  n["spec"]["taints"] = add_taints(json::array(), "node.kubernetes.io/unreachable",
                                   {"NoSchedule", "NoExecute"}, kNow);
  return n;
}

json pod(const std::string& name, const std::string& owner = "set-uid",
         const std::string& node_name = "") {
  json p = {{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", name + "-uid"}}},
            {"spec", {{"containers", json::array()}}},
            {"status", {{"phase", "Running"}}}};
  if (!owner.empty())
    p["metadata"]["ownerReferences"] = {
        {{"kind", "StatefulSet"}, {"name", "web"}, {"uid", owner}, {"controller", true}}};
  if (!node_name.empty()) p["spec"]["nodeName"] = node_name;
  return p;
}

std::vector<json> three_nodes() {
  return {node("c-node"), node("c-node2"), node("c-node3")};
}

// Schedules the pods one after another, binding each, as the pod manager does.
std::vector<std::string> place(std::vector<json> pods, const std::vector<json>& nodes) {
  std::vector<std::string> placed;
  std::vector<json> bound;
  for (auto& p : pods) {
    auto chosen = schedule_pod(p, nodes, bound);
    REQUIRE(chosen);
    p["spec"]["nodeName"] = *chosen;
    bound.push_back(p);
    placed.push_back(*chosen);
  }
  return placed;
}

}  // namespace

TEST_CASE("the replicas of one set spread over three nodes, in node name order") {
  auto placed = place({pod("web-0"), pod("web-1"), pod("web-2")}, three_nodes());
  CHECK(placed == std::vector<std::string>{"c-node", "c-node2", "c-node3"});
}

TEST_CASE("spreading counts the set's own pods before all pods") {
  // c-node holds two pods of another set; the set's first pod still goes by overall load.
  std::vector<json> pods = {pod("db-0", "db", "c-node"), pod("db-1", "db", "c-node"),
                            pod("web-0", "set-uid", "c-node2")};
  auto chosen = schedule_pod(pod("web-1"), three_nodes(), pods);
  REQUIRE(chosen);
  CHECK(*chosen == "c-node3");
  // With c-node3 holding a web pod too, the next web pod prefers the node without one.
  pods.push_back(pod("web-1", "set-uid", "c-node3"));
  chosen = schedule_pod(pod("web-2"), three_nodes(), pods);
  REQUIRE(chosen);
  CHECK(*chosen == "c-node");
}

TEST_CASE("finished pods and the pod itself do not count") {
  auto done = pod("web-0", "set-uid", "c-node");
  done["status"]["phase"] = "Succeeded";
  auto self = pod("web-1", "set-uid", "");
  auto self_bound = self;
  self_bound["spec"]["nodeName"] = "c-node";
  auto chosen = schedule_pod(self, {node("c-node"), node("c-node2")}, {done, self_bound});
  REQUIRE(chosen);
  CHECK(*chosen == "c-node");
}

TEST_CASE("a cordoned node gets no new pods") {
  std::vector<json> nodes = {node("c-node"), cordoned(node("c-node2")), node("c-node3")};
  auto placed = place({pod("web-0"), pod("web-1"), pod("web-2")}, nodes);
  CHECK(placed == std::vector<std::string>{"c-node", "c-node3", "c-node"});
}

TEST_CASE("a pod tolerating the unschedulable taint may go to a cordoned node") {
  auto p = pod("web-0");
  p["spec"]["tolerations"] = {{{"key", "node.kubernetes.io/unschedulable"},
                               {"operator", "Exists"},
                               {"effect", "NoSchedule"}}};
  auto chosen = schedule_pod(p, {cordoned(node("c-node"))}, {});
  REQUIRE(chosen);
  CHECK(*chosen == "c-node");
}

TEST_CASE("with no node left the message is the scheduler's, reasons counted and sorted") {
  std::vector<json> nodes = {lost(node("c-node")), cordoned(node("c-node2")),
                             lost(node("c-node3"))};
  auto chosen = schedule_pod(pod("web-0"), nodes, {});
  REQUIRE_FALSE(chosen);
  CHECK(chosen.error().reason == "Unschedulable");
  CHECK(chosen.error().message ==
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had untolerated taint "
        "{node.kubernetes.io/unreachable: }. preemption: 0/3 nodes are available: 3 Preemption "
        "is not helpful for scheduling.");
}

TEST_CASE("a lost node gets no pod even when the pod tolerates every taint") {
  auto p = pod("web-0");
  p["spec"]["tolerations"] = {{{"operator", "Exists"}}};
  auto chosen = schedule_pod(p, {lost(node("c-node"))}, {});
  REQUIRE_FALSE(chosen);
  CHECK_THAT(chosen.error().message,
             Catch::Contains("1 node(s) were not ready") && Catch::StartsWith("0/1 nodes"));
}

TEST_CASE("nodeSelector matches node labels") {
  auto p = pod("web-0");
  p["spec"]["nodeSelector"] = {{"kubernetes.io/hostname", "c-node3"}};
  auto chosen = schedule_pod(p, three_nodes(), {});
  REQUIRE(chosen);
  CHECK(*chosen == "c-node3");
  p["spec"]["nodeSelector"] = {{"disktype", "ssd"}};
  chosen = schedule_pod(p, three_nodes(), {});
  REQUIRE_FALSE(chosen);
  CHECK_THAT(chosen.error().message,
             Catch::StartsWith("0/3 nodes are available: 3 node(s) didn't match Pod's node "
                               "affinity/selector."));
}

TEST_CASE("a bound pod keeps its node while it is Ready, cordoned or not") {
  auto p = pod("web-0", "set-uid", "c-node2");
  std::vector<json> nodes = {node("c-node"), cordoned(node("c-node2"))};
  auto chosen = schedule_pod(p, nodes, {});
  REQUIRE(chosen);
  CHECK(*chosen == "c-node2");
  nodes[1] = lost(node("c-node2"));
  chosen = schedule_pod(p, nodes, {});
  REQUIRE_FALSE(chosen);
  CHECK(chosen.error().message == "node \"c-node2\" is not ready");
  chosen = schedule_pod(pod("x", "", "elsewhere"), nodes, {});
  REQUIRE_FALSE(chosen);
  CHECK(chosen.error().message == "node \"elsewhere\" not found");
}

TEST_CASE("a full node reports Too many pods") {
  std::vector<json> pods;
  for (int i = 0; i < 110; ++i) pods.push_back(pod("p" + std::to_string(i), "", "c-node"));
  auto chosen = schedule_pod(pod("one-more", ""), {node("c-node")}, pods);
  REQUIRE_FALSE(chosen);
  CHECK_THAT(chosen.error().message,
             Catch::StartsWith("0/1 nodes are available: 1 Too many pods."));
}

TEST_CASE("node names sort naturally") {
  CHECK(node_name_less("c-node", "c-node2"));
  CHECK(node_name_less("c-node2", "c-node10"));
  CHECK_FALSE(node_name_less("c-node10", "c-node2"));
  CHECK(node_name_less("alpha", "beta"));
  CHECK_FALSE(node_name_less("c-node", "c-node"));
}

TEST_CASE("required node affinity: matchFields on the name, matchExpressions on labels") {
  auto p = pod("agent-abcde", "");
  p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       {{{"matchFields",
          {{{"key", "metadata.name"}, {"operator", "In"}, {"values", {"c-node2"}}}}}}}}};
  auto chosen = schedule_pod(p, three_nodes(), {});
  REQUIRE(chosen);
  CHECK(*chosen == "c-node2");
  p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       {{{"matchExpressions",
          {{{"key", "kubernetes.io/hostname"},
            {"operator", "NotIn"},
            {"values", {"c-node", "c-node2"}}}}}}}}};
  chosen = schedule_pod(p, three_nodes(), {});
  REQUIRE(chosen);
  CHECK(*chosen == "c-node3");
  p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms",
       {{{"matchExpressions", {{{"key", "disktype"}, {"operator", "Exists"}}}}}}}};
  CHECK_FALSE(schedule_pod(p, three_nodes(), {}));
}
