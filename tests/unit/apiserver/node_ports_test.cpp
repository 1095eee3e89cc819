// NodePort allocation as the API server's service registry does it: free ports from
// 30000-32767, kept across updates, refused out of range or when another service holds them.
#include <catch2/catch.hpp>

#include "apiserver/registry/node_ports.hpp"

using namespace kinda::apiserver;
using nlohmann::json;

namespace {

json node_port_service(const std::string& type, json ports) {
  return {{"metadata", {{"name", "web"}, {"namespace", "default"}}},
          {"spec", {{"type", type}, {"ports", std::move(ports)}}}};
}

json tcp_port(int port) {
  return {{"name", "p" + std::to_string(port)}, {"port", port}, {"protocol", "TCP"}};
}

}  // namespace

TEST_CASE("NodePort and LoadBalancer services get a free node port for each port") {
  json svc = node_port_service("NodePort", {tcp_port(80), tcp_port(443)});
  CHECK(assign_node_ports(svc, json(), {}).empty());
  const int first = svc["spec"]["ports"][0]["nodePort"],
            second = svc["spec"]["ports"][1]["nodePort"];
  CHECK(first >= kNodePortFirst);
  CHECK(first <= kNodePortLast);
  CHECK(second != first);

  // Every port but one held by others: that one is given.
  std::set<int> held;
  for (int p = kNodePortFirst; p <= kNodePortLast; ++p)
    if (p != 31000) held.insert(p);
  json lb = node_port_service("LoadBalancer", {tcp_port(80)});
  CHECK(assign_node_ports(lb, json(), held).empty());
  CHECK(lb["spec"]["ports"][0]["nodePort"] == 31000);
  CHECK(load_balancer_warning(lb) ==
        "kinda has no load balancer: Service web stays <pending> and is reachable at "
        "127.0.0.1:31000");

  json plain = node_port_service("ClusterIP", {tcp_port(80)});
  CHECK(assign_node_ports(plain, json(), {}).empty());
  CHECK_FALSE(plain["spec"]["ports"][0].contains("nodePort"));
}

TEST_CASE("a given node port must be in range and free") {
  json low = node_port_service("NodePort", {tcp_port(80)});
  low["spec"]["ports"][0]["nodePort"] = 80;
  auto causes = assign_node_ports(low, json(), {});
  REQUIRE(causes.size() == 1);
  CHECK(causes[0].field == "spec.ports[0].nodePort");
  CHECK(causes[0].message ==
        "Invalid value: 80: provided port is not in the valid range. The range of valid ports is "
        "30000-32767");

  json taken = node_port_service("NodePort", {tcp_port(80)});
  taken["spec"]["ports"][0]["nodePort"] = 30080;
  causes = assign_node_ports(taken, json(), {30080});
  REQUIRE(causes.size() == 1);
  CHECK(causes[0].message == "Invalid value: 30080: provided port is already allocated");

  json own = node_port_service("NodePort", {tcp_port(80)});
  own["spec"]["ports"][0]["nodePort"] = 30080;
  CHECK(assign_node_ports(own, json(), {}).empty());
  CHECK(own["spec"]["ports"][0]["nodePort"] == 30080);
}

TEST_CASE("updates keep the node ports held; ClusterIP gives them back") {
  json before = node_port_service("NodePort", {tcp_port(80)});
  before["spec"]["ports"][0]["nodePort"] = 30123;
  json replaced = node_port_service("NodePort", {tcp_port(80), tcp_port(81)});
  CHECK(assign_node_ports(replaced, before, {}).empty());
  CHECK(replaced["spec"]["ports"][0]["nodePort"] == 30123);
  CHECK(replaced["spec"]["ports"][1]["nodePort"] != 30123);

  json back = before;
  back["spec"]["type"] = "ClusterIP";
  CHECK(assign_node_ports(back, before, {}).empty());
  CHECK_FALSE(back["spec"]["ports"][0].contains("nodePort"));

  json forbidden = node_port_service("ClusterIP", {tcp_port(80)});
  forbidden["spec"]["ports"][0]["nodePort"] = 30500;
  auto causes = assign_node_ports(forbidden, json(), {});
  REQUIRE(causes.size() == 1);
  CHECK(causes[0].message == "Forbidden: may not be used when `type` is 'ClusterIP'");

  json api = node_port_service("NodePort", {{{"port", 1}, {"nodePort", 30001}}});
  api["metadata"]["name"] = "api";
  // The service's own ports are not held by "others".
  CHECK(node_ports_held({before, api}, "default", "web") == std::set<int>{30001});
}
