// `get nodes` and `describe node` as kubectl prints them.
#include <catch2/catch.hpp>

#include "cli/printers/node_describe.hpp"
#include "cli/printers/printers.hpp"

using namespace kinda::cli;
using nlohmann::json;

namespace {

json node(const std::string& ready) {
  return {{"metadata",
           {{"name", "c-node2"},
            {"creationTimestamp", "2026-01-01T00:00:00Z"},
            {"labels", {{"kubernetes.io/hostname", "c-node2"}}}}},
          {"spec", json::object()},
          {"status",
           {{"conditions",
             {{{"type", "Ready"},
               {"status", ready},
               {"reason", "KubeletReady"},
               {"message", "kubelet is posting ready status"},
               {"lastHeartbeatTime", "2026-01-01T00:00:00Z"},
               {"lastTransitionTime", "2026-01-01T00:00:00Z"}}}},
            {"addresses", {{{"type", "InternalIP"}, {"address", "127.0.0.1"}}}},
            {"capacity", {{"pods", "110"}}},
            {"nodeInfo", {{"kubeletVersion", "v1.32.0-kinda"}}}}}};
}

}  // namespace

TEST_CASE("node STATUS reads Ready, NotReady and SchedulingDisabled as kubectl does") {
  CHECK(node_status(node("True")) == "Ready");
  CHECK(node_status(node("Unknown")) == "NotReady");
  CHECK(node_status(node("False")) == "NotReady");
  auto cordoned = node("True");
  cordoned["spec"]["unschedulable"] = true;
  CHECK(node_status(cordoned) == "Ready,SchedulingDisabled");
  CHECK(node_status(json{{"metadata", {{"name", "x"}}}}) == "Unknown");
}

TEST_CASE("ROLES come from node-role labels") {
  auto n = node("True");
  CHECK(node_roles(n) == "<none>");
  n["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] = "";
  n["metadata"]["labels"]["node-role.kubernetes.io/worker"] = "";
  CHECK(node_roles(n) == "control-plane,worker");
}

TEST_CASE("get nodes prints NAME STATUS ROLES AGE VERSION") {
  const auto& nodes = *kinda::api::find_resource("nodes");
  TableOptions options;
  options.now = kinda::api::parse_rfc3339("2026-01-01T00:05:00Z").value();
  auto text = render_table({table_header(nodes, options), table_row(nodes, node("True"), options)});
  CHECK(text ==
        "NAME      STATUS   ROLES    AGE   VERSION\n"
        "c-node2   Ready    <none>   5m    v1.32.0-kinda\n");
}

TEST_CASE("describe node lists taints, conditions and the node's pods") {
  auto n = node("Unknown");
  n["spec"]["taints"] = {{{"key", "node.kubernetes.io/unreachable"}, {"effect", "NoSchedule"}},
                         {{"key", "node.kubernetes.io/unreachable"}, {"effect", "NoExecute"}}};
  std::vector<json> pods = {{{"metadata", {{"name", "web-1"}, {"namespace", "default"}}},
                             {"spec", {{"nodeName", "c-node2"}}},
                             {"status", {{"phase", "Running"}}}},
                            {{"metadata", {{"name", "web-0"}, {"namespace", "default"}}},
                             {"spec", {{"nodeName", "c-node"}}},
                             {"status", {{"phase", "Running"}}}}};
  auto text = align_tabbed(describe_node(n, pods, kinda::api::Clock::now()), 2);
  CHECK_THAT(text,
             Catch::Contains("Taints:             node.kubernetes.io/unreachable:NoSchedule\n"
                             "                    node.kubernetes.io/unreachable:NoExecute\n"));
  CHECK_THAT(text, Catch::Contains("Unschedulable:      false\n"));
  CHECK_THAT(text, Catch::Contains("  Ready  Unknown  "));
  CHECK_THAT(text, Catch::Contains("Non-terminated Pods:"));
  CHECK_THAT(text, Catch::Contains("(1 in total)"));
  // As kubectl, the pod table lines up with the "Non-terminated Pods:" key above it.
  CHECK_THAT(text, Catch::Contains("\n  default                     web-1  "));
  CHECK_THAT(text, !Catch::Contains("web-0"));
}
