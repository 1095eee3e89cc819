// pods/exec's input: the request's options as the API server checks them, the WebSocket
// subprotocol chosen from what the client offers, the parts of a raw HTTP request (repeated
// command parameters, the upgrade and its protocols) they are read from, and terminal resizes.
#include <catch2/catch.hpp>

#include <utility>  // before Asio (through Beast): Boost 1.74 uses std::exchange unincluded

#include <boost/beast/http.hpp>

#include "apiserver/transport/beast_adapter.hpp"
#include "kubelet/streaming/pod_exec.hpp"

using namespace kinda::apiserver;
using namespace kinda::kubelet;
namespace http = boost::beast::http;

namespace {

Request raw_request(const std::string& target, bool upgrade, const std::string& protocols = "") {
  http::request<http::string_body> raw{http::verb::get, target, 11};
  if (upgrade) {
    raw.set(http::field::connection, "Upgrade");
    raw.set(http::field::upgrade, "websocket");
    raw.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    raw.set(http::field::sec_websocket_version, "13");
  }
  if (!protocols.empty()) raw.set(http::field::sec_websocket_protocol, protocols);
  return to_request(raw);
}

}  // namespace

TEST_CASE("exec options: repeated command parameters in order, kubectl's stream flags") {
  auto request = raw_request(
      "/api/v1/namespaces/default/pods/web-0/exec?command=sh&command=-c&command=echo%20a%20b"
      "&container=app&stdin=true&stdout=true&stderr=true&tty=false",
      true, "v5.channel.k8s.io");
  auto options = exec_options_of(request);
  REQUIRE(options);
  CHECK(options->command == std::vector<std::string>{"sh", "-c", "echo a b"});
  CHECK(options->container == "app");
  CHECK(options->stdin);
  CHECK(options->stdout);
  CHECK(options->stderr);
  CHECK_FALSE(options->tty);
}

TEST_CASE("exec options: a terminal has one output, so stderr is off") {
  auto options = exec_options_of(raw_request("/x?command=sh&tty=true&stdin=true", true));
  REQUIRE(options);
  CHECK(options->tty);
  CHECK_FALSE(options->stderr);
}

TEST_CASE("exec options: no command, or no stream at all, is a 400") {
  auto none = exec_options_of(raw_request("/x?container=app", true));
  REQUIRE_FALSE(none);
  CHECK(none.error().code == 400);
  CHECK(none.error().message == "you must specify at least one command for the container");
  auto empty = exec_options_of(raw_request("/x?command=", true));
  REQUIRE_FALSE(empty);
  auto silent = exec_options_of(raw_request("/x?command=true&stdout=false&stderr=false", true));
  REQUIRE_FALSE(silent);
  CHECK(silent.error().message == "you must specify at least 1 of stdin, stdout, stderr");
}

TEST_CASE("exec protocol: v5 or v4 over WebSocket, else a 400 that says why") {
  auto v5 = exec_protocol_of(
      raw_request("/x?command=true", true, "v5.channel.k8s.io, v4.channel.k8s.io"));
  REQUIRE(v5);
  CHECK(*v5 == "v5.channel.k8s.io");
  auto v4 = exec_protocol_of(raw_request("/x?command=true", true, "v4.channel.k8s.io"));
  REQUIRE(v4);
  CHECK(*v4 == "v4.channel.k8s.io");

  auto spdy = exec_protocol_of(raw_request("/x?command=true", false));
  REQUIRE_FALSE(spdy);
  CHECK(spdy.error().code == 400);
  CHECK(spdy.error().message.find("not over SPDY") != std::string::npos);

  auto old = exec_protocol_of(
      raw_request("/x?command=true", true, "channel.k8s.io,base64.channel.k8s.io"));
  REQUIRE_FALSE(old);
  CHECK(old.error().message ==
        "requested protocol(s) are not supported: [channel.k8s.io base64.channel.k8s.io]; "
        "supports [v5.channel.k8s.io v4.channel.k8s.io]");
}

TEST_CASE("exec resize messages: two dimensions that fit a terminal, anything else ignored") {
  auto size = terminal_size_of(R"({"Width": 91, "Height": 27})");
  REQUIRE(size);
  CHECK(size->width == 91);
  CHECK(size->height == 27);
  for (const char* hostile :
       {"", "{", "[]", "null", R"({"Width": "91", "Height": 27})", R"({"Width": -1, "Height": 27})",
        R"({"Width": 70000, "Height": 27})", R"({"Width": 1.5, "Height": 27})", R"({"Width": 91})",
        R"({"Width": 91, "Height": {"a": 1}})"})
    CHECK_FALSE(terminal_size_of(hostile));
}
