// The daemon's wiring in one process: objects written to a real store reach the proxy's thread
// through the feed, and the ClusterIP answers, moves and refuses as the slices say.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "proxy/route_feed.hpp"
#include "storage/store.hpp"
#include "tests/unit/proxy/proxy_test_routes.hpp"
#include "tests/unit/support/loopback_backends.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using namespace kinda::proxy;
using namespace kinda::proxy::testing;
using nlohmann::json;

namespace {

json wired_slice(const TcpGreeter& backend, bool ready) {
  return json{
      {"apiVersion", "discovery.k8s.io/v1"},
      {"kind", "EndpointSlice"},
      {"metadata",
       {{"name", "echo-" + backend.name()},
        {"namespace", "default"},
        {"labels", {{"kubernetes.io/service-name", "echo"}}}}},
      {"addressType", "IPv4"},
      {"endpoints",
       json::array({json{{"addresses", {backend.ip()}}, {"conditions", {{"ready", ready}}}}})},
      {"ports", json::array({json{{"name", "tcp"}, {"port", backend.port()}}})}};
}

std::string backend_answering(const std::string& ip, uint16_t port) {
  int fd = connect_from("127.201.9.40", ip, port);
  if (fd < 0) return "refused";
  std::string line = read_line(fd);
  ::close(fd);
  return line.substr(0, line.find(' '));
}

}  // namespace

TEST_CASE("store writes reach the proxy's listeners", "[proxy_store_to_socket]") {
  TcpGreeter a("a", "127.201.1.40"), b("b", "127.201.1.41");
  kinda::storage::testing::TempDir dir;
  auto opened = kinda::storage::Store::open(dir.db());
  REQUIRE(opened);
  auto& store = **opened;
  REQUIRE(store.create("services",
                       json{{"metadata", {{"name", "echo"}, {"namespace", "default"}}},
                            {"spec",
                             {{"clusterIP", "127.201.255.40"},
                              {"ports", json::array({json{{"name", "tcp"}, {"port", 18080}}})}}}}));
  REQUIRE(store.create("endpointslices", wired_slice(a, true)));

  auto proxy = make_test_proxy();
  proxy->start();
  RouteFeed feed(store, [&proxy](RouteTable table) { proxy->set_routes(std::move(table)); });
  feed.start();
  proxy->flush();
  CHECK(backend_answering("127.201.255.40", 18080) == "a");

  REQUIRE(store.create("endpointslices", wired_slice(b, false)));  // not ready: not used
  proxy->flush();
  for (int i = 0; i < 3; ++i) CHECK(backend_answering("127.201.255.40", 18080) == "a");

  REQUIRE(store.remove("endpointslices", "default", "echo-a"));
  proxy->flush();
  CHECK(backend_answering("127.201.255.40", 18080) == "refused");

  REQUIRE(store.update("endpointslices", wired_slice(b, true)));
  proxy->flush();
  CHECK(backend_answering("127.201.255.40", 18080) == "b");

  REQUIRE(store.remove("services", "default", "echo"));
  proxy->flush();
  CHECK(backend_answering("127.201.255.40", 18080) == "refused");
}
