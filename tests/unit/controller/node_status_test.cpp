// The simulated nodes' conditions and taints: what a live kubelet posts and what the node
// lifecycle controller writes when it stops.
#include <catch2/catch.hpp>

#include "controller/node/node_status.hpp"

using namespace kinda::controller;
using nlohmann::json;

TEST_CASE("a registered node reports the machine, named and labelled like a kubelet") {
  HostFacts host{"6.1.0", "Debian GNU/Linux 12 (bookworm)", "amd64", 4, 8LL * 1024 * 1024 * 1024};
  json n =
      with_host_facts({{"metadata", {{"name", "c-node2"}, {"labels", {{"team", "a"}}}}}}, host);
  CHECK(n["metadata"]["labels"]["kubernetes.io/hostname"] == "c-node2");
  CHECK(n["metadata"]["labels"]["team"] == "a");
  CHECK(n["status"]["capacity"]["pods"] == "110");
  CHECK(n["status"]["capacity"]["memory"] == "8388608Ki");
  CHECK(n["status"]["nodeInfo"]["kubeletVersion"] == "v1.32.0-kinda");
  CHECK(n["status"]["addresses"][0] == json{{"type", "InternalIP"}, {"address", "127.0.0.1"}});
}

TEST_CASE("a ready node posts Ready True with reason KubeletReady") {
  json n = {{"status", {{"conditions", ready_conditions("t0")}}}};
  CHECK(node_ready(n));
  CHECK(n["status"]["conditions"][3]["reason"] == "KubeletReady");
}

TEST_CASE("a lost node has every condition Unknown, keeping its last heartbeat") {
  auto lost = lost_conditions(ready_conditions("t0"), "t1");
  json n = {{"status", {{"conditions", lost}}}};
  CHECK_FALSE(node_ready(n));
  CHECK(ready_status(n) == "Unknown");
  for (const auto& c : lost) {
    CHECK(c["status"] == "Unknown");
    CHECK(c["reason"] == "NodeStatusUnknown");
    CHECK(c["message"] == "Kubelet stopped posting node status.");
    CHECK(c["lastHeartbeatTime"] == "t0");
    CHECK(c["lastTransitionTime"] == "t1");
  }
  // Losing it again changes no transition time.
  CHECK(lost_conditions(lost, "t2") == lost);
  // A node that never reported gets a Ready Unknown condition.
  CHECK(ready_status({{"status", {{"conditions", lost_conditions(json::array(), "t1")}}}}) ==
        "Unknown");
}

TEST_CASE("taints are added once per effect and removed by key") {
  auto taints = add_taints(json::array(), kUnreachableTaint, {"NoSchedule", "NoExecute"}, "t0");
  REQUIRE(taints.size() == 2);
  CHECK_FALSE(taints[0].contains("timeAdded"));
  CHECK(taints[1]["timeAdded"] == "t0");
  CHECK(add_taints(taints, kUnreachableTaint, {"NoExecute"}, "t1") == taints);
  taints = add_taints(taints, kUnschedulableTaint, {"NoSchedule"}, "t0");
  CHECK(has_taint({{"spec", {{"taints", taints}}}}, kUnschedulableTaint));
  auto left = remove_taints(taints, kUnreachableTaint);
  REQUIRE(left.size() == 1);
  CHECK(left[0]["key"] == kUnschedulableTaint);
}
