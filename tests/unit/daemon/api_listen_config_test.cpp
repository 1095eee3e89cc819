// The API's TCP listener setting: loopback-only parsing of ADDRESS:PORT, and config.json
// api.listen read, overridden by --api-listen, remembered, and turned off with "none".
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "apiserver/transport/listen_address.hpp"
#include "daemon/cluster_config.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using kinda::apiserver::parse_listen_address;
using kinda::daemon::load_or_create_config;
using nlohmann::json;

TEST_CASE("api.listen accepts loopback addresses only", "[api_listen]") {
  auto v4 = parse_listen_address("127.0.0.1:6443", "api.listen");
  REQUIRE(v4);
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 6443);
  CHECK(v4->to_string() == "127.0.0.1:6443");

  auto any_port = parse_listen_address("127.3.2.1:0", "api.listen");
  REQUIRE(any_port);
  CHECK(any_port->port == 0);

  auto v6 = parse_listen_address("[::1]:8443", "--api-listen");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->to_string() == "[::1]:8443");

  for (const char* refused :
       {"0.0.0.0:6443", "192.168.1.2:6443", "10.0.0.1:1", "[::]:6443", "[::ffff:127.0.0.1]:1",
        "[2001:db8::1]:1", "localhost:6443", "example.com:443"}) {
    auto r = parse_listen_address(refused, "--api-listen");
    INFO(refused);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == 400);
    CHECK(r.error().message.find("--api-listen") == 0);
  }
  auto wildcard = parse_listen_address("0.0.0.0:6443", "api.listen");
  CHECK(wildcard.error().message.find("only loopback addresses") != std::string::npos);
}

TEST_CASE("api.listen needs a port and brackets around IPv6", "[api_listen]") {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                          "127.0.0.1:80x", ":6443", "::1:6443", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_listen_address(bad, "api.listen"));
  }
}

namespace {

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

void write_json(const std::filesystem::path& file, const json& j) {
  std::ofstream(file) << j.dump(2);
}

}  // namespace

TEST_CASE("config.json keeps no listener unless asked, then remembers it", "[api_listen]") {
  kinda::storage::testing::TempDir home;
  // Range claims go in the test's own directory, not the user's.
  ::setenv("XDG_RUNTIME_DIR", home.path().c_str(), 1);
  kinda::storage::ClusterPaths paths{"apitest", home.path() / "apitest"};

  auto plain = load_or_create_config(paths, {});
  REQUIRE(plain);
  CHECK_FALSE(plain->api_listen);
  CHECK_FALSE(read_json(paths.config()).contains("api"));

  kinda::daemon::ConfigOverrides flag;
  flag.api_listen = "127.0.0.1:0";
  auto with_flag = load_or_create_config(paths, flag);
  REQUIRE(with_flag);
  REQUIRE(with_flag->api_listen);
  CHECK(with_flag->api_listen->to_string() == "127.0.0.1:0");
  CHECK(read_json(paths.config())["api"] == json{{"listen", "127.0.0.1:0"}});

  // A later start without the flag keeps the listener.
  auto again = load_or_create_config(paths, {});
  REQUIRE(again);
  REQUIRE(again->api_listen);
  CHECK(again->api_listen->to_string() == "127.0.0.1:0");

  // Edited by hand.
  auto j = read_json(paths.config());
  j["api"]["listen"] = "[::1]:16443";
  write_json(paths.config(), j);
  auto edited = load_or_create_config(paths, {});
  REQUIRE(edited);
  CHECK(edited->api_listen->host == "::1");
  CHECK(edited->api_listen->port == 16443);

  kinda::daemon::ConfigOverrides off;
  off.api_listen = "none";
  auto turned_off = load_or_create_config(paths, off);
  REQUIRE(turned_off);
  CHECK_FALSE(turned_off->api_listen);
  CHECK_FALSE(read_json(paths.config()).contains("api"));
}

TEST_CASE("a non-loopback api.listen is refused, from the flag or config.json", "[api_listen]") {
  kinda::storage::testing::TempDir home;
  kinda::storage::ClusterPaths paths{"apitest", home.path() / "apitest"};
  REQUIRE(load_or_create_config(paths, {}));

  kinda::daemon::ConfigOverrides flag;
  flag.api_listen = "0.0.0.0:6443";
  auto refused = load_or_create_config(paths, flag);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("--api-listen \"0.0.0.0:6443\"") != std::string::npos);

  auto j = read_json(paths.config());
  j["api"] = {{"listen", "192.168.0.10:6443"}};
  write_json(paths.config(), j);
  auto from_file = load_or_create_config(paths, {});
  REQUIRE_FALSE(from_file);
  CHECK(from_file.error().message.find("config.json: api.listen \"192.168.0.10:6443\"") !=
        std::string::npos);

  j["api"] = "127.0.0.1:6443";  // not an object
  write_json(paths.config(), j);
  CHECK_FALSE(load_or_create_config(paths, {}));

  j["api"] = {{"listen", 6443}};
  write_json(paths.config(), j);
  CHECK_FALSE(load_or_create_config(paths, {}));

  j["api"] = {{"listen", nullptr}};  // null: no listener
  write_json(paths.config(), j);
  auto none = load_or_create_config(paths, {});
  REQUIRE(none);
  CHECK_FALSE(none->api_listen);
}
