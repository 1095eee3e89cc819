// Services and EndpointSlices read as kube-proxy reads them: a Service port takes the endpoints
// of the slice port with its name and protocol, ready ones first, serving-terminating ones only
// when none is ready; headless and ExternalName Services route nothing.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "proxy/route_translation.hpp"

using kinda::proxy::Backend;
using kinda::proxy::Protocol;
using kinda::proxy::routes_for_service;
using kinda::proxy::service_name_of_slice;
using nlohmann::json;

namespace {

json web_service() {
  return json::parse(R"({
    "apiVersion": "v1", "kind": "Service",
    "metadata": {"name": "web", "namespace": "shop"},
    "spec": {"type": "ClusterIP", "clusterIP": "127.64.255.3", "selector": {"app": "web"},
             "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
                       {"name": "metrics", "port": 9090, "targetPort": 9100}]}
  })");
}

json web_slice(const std::string& name, json endpoints) {
  return json{{"apiVersion", "discovery.k8s.io/v1"},
              {"kind", "EndpointSlice"},
              {"metadata",
               {{"name", name},
                {"namespace", "shop"},
                {"labels", {{"kubernetes.io/service-name", "web"}}}}},
              {"addressType", "IPv4"},
              {"endpoints", std::move(endpoints)},
              {"ports",
               {{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}},
                {{"name", "metrics"}, {"port", 9100}, {"protocol", "TCP"}}}}};
}

json slice_endpoint(const std::string& ip, json conditions = json::object()) {
  return json{{"addresses", {ip}}, {"conditions", std::move(conditions)}};
}

std::vector<std::string> backend_texts(const std::vector<Backend>& backends) {
  std::vector<std::string> texts;
  for (const auto& b : backends) texts.push_back(b.to_string());
  return texts;
}

}  // namespace

TEST_CASE("each Service port takes the slice port of its name", "[proxy_translation]") {
  auto slice = web_slice("web-a", {slice_endpoint("127.64.0.7", {{"ready", true}}),
                                   slice_endpoint("127.64.0.5")});  // no conditions: ready
  auto routes = routes_for_service(web_service(), {slice});
  REQUIRE(routes.size() == 2);
  CHECK(routes[0].key() == "shop/web:http/TCP");
  CHECK(routes[0].cluster_ip == "127.64.255.3");
  CHECK(routes[0].port == 80);
  CHECK(routes[0].node_port == 0);
  CHECK(backend_texts(routes[0].backends) ==
        std::vector<std::string>{"127.64.0.5:8080", "127.64.0.7:8080"});
  CHECK(routes[1].port_name == "metrics");
  CHECK(backend_texts(routes[1].backends) ==
        std::vector<std::string>{"127.64.0.5:9100", "127.64.0.7:9100"});
  CHECK_FALSE(routes[0].client_ip_affinity);
}

TEST_CASE("endpoints of several slices add up, each counted once", "[proxy_translation]") {
  auto a = web_slice("web-a", {slice_endpoint("127.64.0.5")});
  auto b = web_slice("web-b", {slice_endpoint("127.64.0.6"), slice_endpoint("127.64.0.5")});
  auto routes = routes_for_service(web_service(), {a, b});
  CHECK(backend_texts(routes[0].backends) ==
        std::vector<std::string>{"127.64.0.5:8080", "127.64.0.6:8080"});
}

TEST_CASE("a slice port with another name or protocol serves nothing", "[proxy_translation]") {
  auto slice = web_slice("web-a", {slice_endpoint("127.64.0.5")});
  slice["ports"] = {{{"name", "https"}, {"port", 8443}},
                    {{"name", "http"}, {"port", 8080}, {"protocol", "UDP"}}};
  auto routes = routes_for_service(web_service(), {slice});
  CHECK(routes[0].backends.empty());
  CHECK(routes[1].backends.empty());
}

TEST_CASE("an unnamed single port matches the slice's unnamed port", "[proxy_translation]") {
  auto svc = web_service();
  svc["spec"]["ports"] = {{{"port", 53}, {"protocol", "UDP"}}};
  auto slice = web_slice("web-a", {slice_endpoint("127.64.0.5")});
  slice["ports"] = {{{"port", 5353}, {"protocol", "UDP"}}};
  auto routes = routes_for_service(svc, {slice});
  REQUIRE(routes.size() == 1);
  CHECK(routes[0].key() == "shop/web:/UDP");
  CHECK(routes[0].protocol == Protocol::Udp);
  CHECK(backend_texts(routes[0].backends) == std::vector<std::string>{"127.64.0.5:5353"});
}

TEST_CASE("ready endpoints serve; serving-terminating ones only when none is ready",
          "[proxy_translation]") {
  json not_ready = {{"ready", false}, {"serving", false}, {"terminating", false}};
  json terminating = {{"ready", false}, {"serving", true}, {"terminating", true}};
  json terminating_not_serving = {{"ready", false}, {"serving", false}, {"terminating", true}};
  auto mixed = web_slice(
      "web-a", {slice_endpoint("127.64.0.5", not_ready), slice_endpoint("127.64.0.6", terminating),
                slice_endpoint("127.64.0.7", {{"ready", true}})});
  CHECK(backend_texts(routes_for_service(web_service(), {mixed})[0].backends) ==
        std::vector<std::string>{"127.64.0.7:8080"});

  auto draining = web_slice(
      "web-a", {slice_endpoint("127.64.0.5", not_ready), slice_endpoint("127.64.0.6", terminating),
                slice_endpoint("127.64.0.8", terminating_not_serving)});
  CHECK(backend_texts(routes_for_service(web_service(), {draining})[0].backends) ==
        std::vector<std::string>{"127.64.0.6:8080"});

  auto none = web_slice("web-a", {slice_endpoint("127.64.0.5", not_ready)});
  CHECK(routes_for_service(web_service(), {none})[0].backends.empty());
}

TEST_CASE("a Service without a selector routes the slices that name it", "[proxy_translation]") {
  auto svc = web_service();
  svc["spec"].erase("selector");
  auto manual = web_slice("web-manual", {slice_endpoint("127.64.0.9")});
  manual["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] = "staff";
  CHECK(service_name_of_slice(manual) == "web");
  auto routes = routes_for_service(svc, {manual});
  CHECK(backend_texts(routes[0].backends) == std::vector<std::string>{"127.64.0.9:8080"});
  CHECK(routes_for_service(svc, {}).at(0).backends.empty());
}

TEST_CASE("headless and ExternalName Services route nothing", "[proxy_translation]") {
  auto slice = web_slice("web-a", {slice_endpoint("127.64.0.5")});
  auto headless = web_service();
  headless["spec"]["clusterIP"] = "None";
  CHECK(routes_for_service(headless, {slice}).empty());
  auto external = web_service();
  external["spec"] = {{"type", "ExternalName"}, {"externalName", "db.example.com"}};
  CHECK(routes_for_service(external, {slice}).empty());
  auto unallocated = web_service();
  unallocated["spec"].erase("clusterIP");
  CHECK(routes_for_service(unallocated, {slice}).empty());
}

TEST_CASE("NodePorts are read for NodePort and LoadBalancer Services only", "[proxy_translation]") {
  auto svc = web_service();
  svc["spec"]["ports"][0]["nodePort"] = 30080;
  CHECK(routes_for_service(svc, {})[0].node_port == 0);  // a ClusterIP Service keeps none
  svc["spec"]["type"] = "NodePort";
  CHECK(routes_for_service(svc, {})[0].node_port == 30080);
  CHECK(routes_for_service(svc, {})[1].node_port == 0);
  svc["spec"]["type"] = "LoadBalancer";
  CHECK(routes_for_service(svc, {})[0].node_port == 30080);
}

TEST_CASE("ClientIP affinity and its timeout", "[proxy_translation]") {
  auto svc = web_service();
  svc["spec"]["sessionAffinity"] = "ClientIP";
  auto routes = routes_for_service(svc, {});
  CHECK(routes[0].client_ip_affinity);
  CHECK(routes[0].affinity_timeout == std::chrono::seconds(10800));
  svc["spec"]["sessionAffinityConfig"] = {{"clientIP", {{"timeoutSeconds", 60}}}};
  CHECK(routes_for_service(svc, {})[1].affinity_timeout == std::chrono::seconds(60));
}

TEST_CASE("slices the proxy cannot use are skipped", "[proxy_translation]") {
  auto v6 = web_slice("web-v6", {slice_endpoint("::1")});
  v6["addressType"] = "IPv6";
  auto fqdn = web_slice("web-fqdn", {slice_endpoint("db.example.com")});
  fqdn["addressType"] = "FQDN";
  auto junk = web_slice("web-junk", {json{{"addresses", json::array()}}, json{{"addresses", {42}}},
                                     json{{"conditions", {{"ready", true}}}}});
  auto svc = web_service();
  svc["spec"]["ports"].push_back({{"name", "sctp"}, {"port", 7}, {"protocol", "SCTP"}});
  auto routes = routes_for_service(svc, {v6, fqdn, junk});
  REQUIRE(routes.size() == 2);  // SCTP has no route
  CHECK(routes[0].backends.empty());
}
