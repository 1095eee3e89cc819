// The store-to-proxy feed: Services and EndpointSlices written to a real store become route
// tables at once, whether or not the API serves EndpointSlices yet (the store does not care).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "proxy/route_feed.hpp"
#include "storage/store.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using kinda::proxy::RouteFeed;
using kinda::proxy::RouteTable;
using nlohmann::json;

namespace {

json feed_service(const std::string& name, const std::string& ip) {
  return json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata", {{"name", name}, {"namespace", "default"}}},
              {"spec", {{"clusterIP", ip}, {"ports", {{{"name", "http"}, {"port", 80}}}}}}};
}

json feed_slice(const std::string& name, const std::string& service,
                const std::vector<std::string>& ips) {
  json endpoints = json::array();
  for (const auto& ip : ips)
    endpoints.push_back(json{{"addresses", {ip}}, {"conditions", {{"ready", true}}}});
  return json{{"apiVersion", "discovery.k8s.io/v1"},
              {"kind", "EndpointSlice"},
              {"metadata",
               {{"name", name},
                {"namespace", "default"},
                {"labels", {{"kubernetes.io/service-name", service}}}}},
              {"addressType", "IPv4"},
              {"endpoints", endpoints},
              {"ports", {{{"name", "http"}, {"port", 8080}}}}};
}

size_t backends_of(const RouteTable& table, const std::string& service) {
  for (const auto& r : table.routes)
    if (r.service == service) return r.backends.size();
  return 0;
}

}  // namespace

TEST_CASE("the feed follows Services and their slices", "[proxy_feed]") {
  kinda::storage::testing::TempDir dir;
  auto store = kinda::storage::Store::open(dir.db());
  REQUIRE(store);
  auto& s = **store;
  REQUIRE(s.create("services", feed_service("web", "127.64.255.1")));
  REQUIRE(s.create("endpointslices", feed_slice("web-a", "web", {"127.64.0.5"})));

  std::vector<RouteTable> sent;
  RouteFeed feed(s, [&sent](RouteTable t) { sent.push_back(std::move(t)); });
  feed.start();
  REQUIRE(sent.size() == 1);
  REQUIRE(sent.back().routes.size() == 1);
  CHECK(backends_of(sent.back(), "web") == 1);

  REQUIRE(s.create("endpointslices", feed_slice("web-b", "web", {"127.64.0.6", "127.64.0.7"})));
  CHECK(backends_of(sent.back(), "web") == 3);

  // A slice relabelled to another Service leaves the first.
  REQUIRE(s.create("services", feed_service("api", "127.64.255.2")));
  auto moved = *s.get("endpointslices", "default", "web-b");
  moved["metadata"]["labels"]["kubernetes.io/service-name"] = "api";
  REQUIRE(s.update("endpointslices", moved));
  CHECK(backends_of(sent.back(), "web") == 1);
  CHECK(backends_of(sent.back(), "api") == 2);

  // Writes that change no route send nothing.
  size_t before = sent.size();
  REQUIRE(s.create("pods", json{{"metadata", {{"name", "p"}, {"namespace", "default"}}}}));
  auto relabelled = *s.get("services", "default", "web");
  relabelled["metadata"]["labels"] = {{"tier", "front"}};
  REQUIRE(s.update("services", relabelled));
  CHECK(sent.size() == before);

  REQUIRE(s.remove("endpointslices", "default", "web-a"));
  CHECK(backends_of(sent.back(), "web") == 0);
  REQUIRE(s.remove("services", "default", "api"));
  REQUIRE(sent.back().routes.size() == 1);
  CHECK(sent.back().routes[0].service == "web");
}
