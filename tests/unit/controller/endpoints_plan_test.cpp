// The endpoints controller's plans: which pods a Service's Endpoints and EndpointSlices list and
// how, named targetPorts resolved per pod, and writes only when something changed.
#include <catch2/catch.hpp>

#include "api/endpoint_views.hpp"
#include "controller/endpoints/endpoint_slice_plan.hpp"
#include "controller/endpoints/endpoints_plan.hpp"

using namespace kinda::controller;
using nlohmann::json;

namespace {

json web_service(json ports = json::array({{{"name", "http"},
                                            {"port", 80},
                                            {"protocol", "TCP"},
                                            {"targetPort", 8080}}})) {
  return {
      {"metadata",
       {{"name", "web"},
        {"namespace", "default"},
        {"uid", "svc-uid"},
        {"labels", {{"team", "a"}}}}},
      {"spec", {{"selector", {{"app", "web"}}}, {"clusterIP", "127.64.255.1"}, {"ports", ports}}}};
}

json web_pod(const std::string& name, const std::string& ip, bool ready = true) {
  json pod = {
      {"metadata",
       {{"name", name},
        {"namespace", "default"},
        {"uid", name + "-uid"},
        {"labels", {{"app", "web"}}}}},
      {"spec",
       {{"nodeName", "node1"},
        {"containers",
         {{{"name", "app"},
           {"ports", {{{"name", "web"}, {"containerPort", 8080}, {"protocol", "TCP"}}}}}}}}},
      {"status",
       {{"phase", "Running"},
        {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
  if (!ip.empty()) pod["status"]["podIP"] = ip;
  return pod;
}

json terminating(json pod) {
  pod["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
  return pod;
}

json with_named_port(json pod, int number) {
  pod["spec"]["containers"][0]["ports"][0]["containerPort"] = number;
  return pod;
}

json named_target_service() {
  return web_service(
      json::array({{{"name", "http"}, {"port", 80}, {"protocol", "TCP"}, {"targetPort", "web"}}}));
}

// A stored slice: the desired one as the API server would have kept it, with a name.
json stored(json slice, const std::string& name, const std::string& rv = "7") {
  slice["metadata"].erase("generateName");
  slice["metadata"]["name"] = name;
  slice["metadata"]["resourceVersion"] = rv;
  return slice;
}

}  // namespace

TEST_CASE("the endpoint rule: who is listed, and where") {
  using kinda::api::EndpointsListing;
  const auto service = kinda::api::endpoint_service_of(web_service());
  auto listing = [&](const json& pod) {
    auto endpoint = kinda::api::endpoint_of(service, kinda::api::endpoint_pod_of(pod));
    return endpoint ? endpoint->listing() : EndpointsListing::kLeftOut;
  };
  CHECK(listing(web_pod("a", "127.64.0.2")) == EndpointsListing::kAddress);
  CHECK(listing(web_pod("a", "127.64.0.2", false)) == EndpointsListing::kNotReadyAddress);
  CHECK(listing(web_pod("a", "")) == EndpointsListing::kLeftOut);
  CHECK(listing(terminating(web_pod("a", "127.64.0.2"))) == EndpointsListing::kLeftOut);
  json finished = web_pod("a", "127.64.0.2");
  finished["status"]["phase"] = "Succeeded";
  CHECK_FALSE(kinda::api::endpoint_of(service, kinda::api::endpoint_pod_of(finished)));
  json other = web_pod("a", "127.64.0.2");
  other["metadata"]["labels"]["app"] = "db";
  CHECK_FALSE(kinda::api::endpoint_of(service, kinda::api::endpoint_pod_of(other)));

  // A terminating pod stays an endpoint for slices, never ready, still serving if Ready.
  auto leaving = kinda::api::endpoint_of(
      service, kinda::api::endpoint_pod_of(terminating(web_pod("a", "127.64.0.2"))));
  REQUIRE(leaving);
  CHECK(leaving->conditions == kinda::api::EndpointConditions{false, true, true});

  json selectorless = web_service();
  selectorless["spec"].erase("selector");
  CHECK_FALSE(kinda::api::has_pod_endpoints(kinda::api::endpoint_service_of(selectorless)));
}

TEST_CASE("Endpoints list ready pods in addresses and not-ready ones apart") {
  json ready = web_pod("web-1", "127.64.0.3");
  ready["spec"]["hostname"] = "web-1";
  ready["spec"]["subdomain"] = "web";
  const json eps = desired_endpoints(
      web_service(), {ready, web_pod("web-0", "127.64.0.2"), web_pod("web-2", "127.64.0.4", false),
                      terminating(web_pod("web-3", "127.64.0.5")), web_pod("web-4", "")});
  CHECK(eps["metadata"]["name"] == "web");
  CHECK(eps["metadata"]["labels"] == json{{"team", "a"}});
  REQUIRE(eps["subsets"].size() == 1);
  const json& subset = eps["subsets"][0];
  REQUIRE(subset["addresses"].size() == 2);
  CHECK(
      subset["addresses"][0] ==
      json{{"ip", "127.64.0.2"},
           {"nodeName", "node1"},
           {"targetRef",
            {{"kind", "Pod"}, {"namespace", "default"}, {"name", "web-0"}, {"uid", "web-0-uid"}}}});
  CHECK(subset["addresses"][1]["hostname"] == "web-1");
  REQUIRE(subset["notReadyAddresses"].size() == 1);
  CHECK(subset["notReadyAddresses"][0]["ip"] == "127.64.0.4");
  CHECK(subset["ports"] == json{{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}});

  json publish = web_service();
  publish["spec"]["publishNotReadyAddresses"] = true;
  const json all = desired_endpoints(publish, {web_pod("web-2", "127.64.0.4", false)});
  CHECK(all["subsets"][0]["addresses"][0]["ip"] == "127.64.0.4");
  CHECK_FALSE(all["subsets"][0].contains("notReadyAddresses"));

  const json none = desired_endpoints(web_service(), {});
  CHECK_FALSE(none.contains("subsets"));
  json headless = web_service();
  headless["spec"]["clusterIP"] = "None";
  CHECK(desired_endpoints(headless, {})["metadata"]["labels"] ==
        json{{"team", "a"}, {kHeadlessLabel, ""}});
}

TEST_CASE("a named targetPort is resolved per pod; a pod without it is left out") {
  const json eps = desired_endpoints(
      named_target_service(),
      {web_pod("a", "127.64.0.2"), with_named_port(web_pod("b", "127.64.0.3"), 9090)});
  REQUIRE(eps["subsets"].size() == 2);
  CHECK(eps["subsets"][0]["ports"][0]["port"] == 8080);
  CHECK(eps["subsets"][0]["addresses"][0]["ip"] == "127.64.0.2");
  CHECK(eps["subsets"][1]["ports"][0]["port"] == 9090);
  CHECK(eps["subsets"][1]["addresses"][0]["ip"] == "127.64.0.3");

  json lacking = web_pod("c", "127.64.0.4");
  lacking["spec"]["containers"][0].erase("ports");
  CHECK_FALSE(desired_endpoints(named_target_service(), {lacking}).contains("subsets"));
  CHECK(desired_endpoint_slices(named_target_service(), {lacking})[0]["endpoints"].empty());

  const auto slices = desired_endpoint_slices(
      named_target_service(),
      {web_pod("a", "127.64.0.2"), with_named_port(web_pod("b", "127.64.0.3"), 9090)});
  REQUIRE(slices.size() == 2);
  CHECK(slices[0]["ports"] == json{{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}});
  CHECK(slices[1]["ports"][0]["port"] == 9090);
  CHECK(slices[1]["endpoints"][0]["addresses"] == json{"127.64.0.3"});
}

TEST_CASE("an Endpoints object is rewritten only when its subsets or labels change") {
  const json desired = desired_endpoints(web_service(), {web_pod("web-0", "127.64.0.2")});
  json current = desired;
  current["metadata"]["resourceVersion"] = "12";
  current["metadata"]["uid"] = "e-uid";
  CHECK_FALSE(endpoints_update(current, desired));

  const json fewer = desired_endpoints(web_service(), {web_pod("web-0", "127.64.0.2", false)});
  auto next = endpoints_update(current, fewer);
  REQUIRE(next);
  CHECK((*next)["metadata"]["resourceVersion"] == "12");
  CHECK((*next)["subsets"][0].contains("notReadyAddresses"));
  auto emptied = endpoints_update(current, desired_endpoints(web_service(), {}));
  REQUIRE(emptied);
  CHECK_FALSE(emptied->contains("subsets"));
}

TEST_CASE("EndpointSlices: labels, owner, conditions as the EndpointSlice controller sets them") {
  const auto slices = desired_endpoint_slices(
      web_service(), {web_pod("web-1", "127.64.0.3", false), web_pod("web-0", "127.64.0.2"),
                      terminating(web_pod("web-2", "127.64.0.4"))});
  REQUIRE(slices.size() == 1);
  const json& slice = slices[0];
  CHECK(slice["apiVersion"] == "discovery.k8s.io/v1");
  CHECK(slice["metadata"]["generateName"] == "web-");
  CHECK(slice["metadata"]["labels"] ==
        json{{"team", "a"}, {kServiceNameLabel, "web"}, {kManagedByLabel, kManagedByController}});
  CHECK(slice["metadata"]["ownerReferences"] == json{{{"apiVersion", "v1"},
                                                      {"kind", "Service"},
                                                      {"name", "web"},
                                                      {"uid", "svc-uid"},
                                                      {"controller", true},
                                                      {"blockOwnerDeletion", true}}});
  CHECK(slice["addressType"] == "IPv4");
  CHECK(slice["ports"] == json{{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}});
  REQUIRE(slice["endpoints"].size() == 3);
  CHECK(slice["endpoints"][0]["addresses"] == json{"127.64.0.2"});
  CHECK(slice["endpoints"][0]["conditions"] ==
        json{{"ready", true}, {"serving", true}, {"terminating", false}});
  CHECK(slice["endpoints"][0]["nodeName"] == "node1");
  CHECK(slice["endpoints"][0]["targetRef"]["name"] == "web-0");
  CHECK(slice["endpoints"][1]["conditions"] ==
        json{{"ready", false}, {"serving", false}, {"terminating", false}});
  CHECK(slice["endpoints"][2]["conditions"] ==
        json{{"ready", false}, {"serving", true}, {"terminating", true}});

  // No endpoints at all: one placeholder slice without ports or endpoints.
  const auto placeholder = desired_endpoint_slices(web_service(), {});
  REQUIRE(placeholder.size() == 1);
  CHECK(placeholder[0]["endpoints"] == json::array());
  CHECK(placeholder[0]["ports"] == json::array());
}

TEST_CASE("the slice plan writes nothing when nothing changed and reuses stored slices") {
  const std::vector<json> pods = {web_pod("web-0", "127.64.0.2"), web_pod("web-1", "127.64.0.3")};
  const auto desired = desired_endpoint_slices(web_service(), pods);
  REQUIRE(desired.size() == 1);
  const json current = stored(desired[0], "web-abcde");

  CHECK(plan_endpoint_slices(web_service(), pods, {}).create.size() == 1);
  CHECK(plan_endpoint_slices(web_service(), pods, {current}).empty());

  // A pod turning not ready updates the slice it is in, keeping its name and version.
  const auto changed = plan_endpoint_slices(
      web_service(), {web_pod("web-0", "127.64.0.2"), web_pod("web-1", "127.64.0.3", false)},
      {current});
  REQUIRE(changed.update.size() == 1);
  CHECK(changed.create.empty());
  CHECK(changed.remove.empty());
  CHECK(changed.update[0]["metadata"]["name"] == "web-abcde");
  CHECK(changed.update[0]["metadata"]["resourceVersion"] == "7");
  CHECK(changed.update[0]["endpoints"][1]["conditions"]["ready"] == false);

  // The placeholder becomes the real slice once a pod is there.
  const json placeholder = stored(desired_endpoint_slices(web_service(), {})[0], "web-zzzzz");
  const auto filled = plan_endpoint_slices(web_service(), pods, {placeholder});
  REQUIRE(filled.update.size() == 1);
  CHECK(filled.update[0]["metadata"]["name"] == "web-zzzzz");
  CHECK(filled.update[0]["endpoints"].size() == 2);

  // Extra managed slices go; a slice someone else manages is never touched.
  json foreign = current;
  foreign["metadata"]["name"] = "web-mine";
  foreign["metadata"]["labels"][kManagedByLabel] = "someone-else";
  const auto tidy = plan_endpoint_slices(web_service(), pods,
                                         {current, stored(desired[0], "web-fffff"), foreign});
  CHECK(tidy.create.empty());
  CHECK(tidy.update.empty());
  REQUIRE(tidy.remove.size() == 1);
  CHECK(tidy.remove[0]["metadata"]["name"] == "web-fffff");

  // A service that loses its selector loses the slices this controller made for it.
  json selectorless = web_service();
  selectorless["spec"].erase("selector");
  const auto dropped = plan_endpoint_slices(selectorless, pods, {current});
  REQUIRE(dropped.remove.size() == 1);
  CHECK(dropped.create.empty());
}

TEST_CASE("more than 100 endpoints of one port set fill several slices") {
  std::vector<json> pods;
  for (int i = 0; i < 150; ++i)
    pods.push_back(
        web_pod("web-" + std::to_string(1000 + i),
                "127.64." + std::to_string(1 + i / 200) + "." + std::to_string(1 + i % 200)));
  const auto slices = desired_endpoint_slices(web_service(), pods);
  REQUIRE(slices.size() == 2);
  CHECK(slices[0]["endpoints"].size() == kMaxEndpointsPerSlice);
  CHECK(slices[1]["endpoints"].size() == 50);
}
