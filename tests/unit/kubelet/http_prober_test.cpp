// httpGet probes through run_probe, against a real HTTP server on 127.0.0.1 that runs on the same
// io_context as the prober: nothing may block that loop, or the server could never answer.
#include <catch2/catch.hpp>

#include "tests/unit/support/http_test_server.hpp"

#include <chrono>

#include "kubelet/prober/probes.hpp"

namespace {

using namespace std::chrono_literals;
using kinda::kubelet::ProbeTarget;
using kinda::kubelet::run_probe;
using kinda::test::Reply;
using kinda::test::SeenRequest;
using kinda::test::TestHttpServer;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

struct Outcome {
  bool done = false;
  bool success = false;
  std::string message;
};

ProbeTarget probed_pod(json container_ports = json::array()) {
  return ProbeTarget{"127.0.0.1", 0, {}, "", std::move(container_ports), ""};
}

json http_get(json port, const std::string& path, json extra = json::object()) {
  json handler = {{"port", std::move(port)}, {"path", path}};
  handler.update(extra);
  return {{"httpGet", handler}};
}

Outcome probe(asio::io_context& io, const json& probe, const ProbeTarget& target,
              std::chrono::milliseconds timeout = 2s) {
  Outcome outcome;
  run_probe(io, probe, target, timeout, [&outcome](bool success, std::string message) {
    outcome = {true, success, std::move(message)};
  });
  auto give_up = Clock::now() + 5s;
  while (!outcome.done && Clock::now() < give_up) io.run_one_for(100ms);
  REQUIRE(outcome.done);
  return outcome;
}

Reply silence() {
  Reply reply;
  reply.never = true;
  return reply;
}

Reply ok_after(std::chrono::milliseconds delay) {
  Reply reply;
  reply.delay = delay;
  return reply;
}

// A server whose answers depend on the path, for most of the tests.
Reply routes(const SeenRequest& request) {
  const std::string& path = request.target;
  if (path == "/healthz") return {};
  if (path == "/missing") return {404, {}, "no such page"};
  if (path == "/down") return {503, {}, "overloaded"};
  if (path == "/moved") return {302, {{"Location", "/healthz"}}, ""};
  if (path == "/loop") return {302, {{"Location", "/loop"}}, ""};
  if (path == "/hang") return silence();
  if (path == "/slow") return ok_after(200ms);
  if (path == "/large") return {200, {}, std::string(1 << 20, 'x')};
  return {404, {}, ""};
}

std::string url(const TestHttpServer& server, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + path;
}

TEST_CASE("a 2xx status is a success without a message") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  auto outcome = probe(io, http_get(server.port(), "/healthz"), probed_pod());
  CHECK(outcome.success);
  CHECK(outcome.message.empty());
  REQUIRE(server.seen.size() == 1);
  CHECK(server.seen[0].target == "/healthz");
}

TEST_CASE("a 4xx or 5xx status fails with the kubelet's statuscode message") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  auto missing = probe(io, http_get(server.port(), "/missing"), probed_pod());
  CHECK_FALSE(missing.success);
  CHECK(missing.message == "HTTP probe failed with statuscode: 404");
  auto down = probe(io, http_get(server.port(), "/down"), probed_pod());
  CHECK_FALSE(down.success);
  CHECK(down.message == "HTTP probe failed with statuscode: 503");
}

TEST_CASE("a redirect within the probed host is followed") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  auto outcome = probe(io, http_get(server.port(), "/moved"), probed_pod());
  CHECK(outcome.success);
  CHECK(outcome.message.empty());
  REQUIRE(server.seen.size() == 2);
  CHECK(server.seen[1].target == "/healthz");
}

TEST_CASE("a redirect to another host is not followed: success with a warning") {
  asio::io_context io;
  // 127.0.0.2 is loopback too, but not the probed host; nothing listens there.
  TestHttpServer server(io, [](const SeenRequest&) {
    return Reply{302, {{"Location", "http://127.0.0.2:1/elsewhere"}}, "see elsewhere"};
  });
  auto outcome = probe(io, http_get(server.port(), "/"), probed_pod());
  CHECK(outcome.success);
  CHECK(outcome.message == "Probe terminated redirects, Response body: see elsewhere");
  CHECK(server.seen.size() == 1);
}

TEST_CASE("a redirect loop fails after ten requests") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  auto outcome = probe(io, http_get(server.port(), "/loop"), probed_pod());
  CHECK_FALSE(outcome.success);
  CHECK(outcome.message == "Get \"" + url(server, "/loop") + "\": stopped after 10 redirects");
  CHECK(server.seen.size() == 10);
}

TEST_CASE("a server that never answers times out at the probe's timeout") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  auto started = Clock::now();
  auto outcome = probe(io, http_get(server.port(), "/hang"), probed_pod(), 300ms);
  auto took = Clock::now() - started;
  CHECK_FALSE(outcome.success);
  CHECK(outcome.message == "Get \"" + url(server, "/hang") +
                               "\": context deadline exceeded (Client.Timeout exceeded while "
                               "awaiting headers)");
  CHECK(took >= 290ms);  // never before the timeout; how late depends on the machine
}

TEST_CASE("a closed port fails with connection refused") {
  asio::io_context io;
  int port = 0;
  {
    asio::ip::tcp::acceptor unused(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = unused.local_endpoint().port();
  }
  auto outcome = probe(io, http_get(port, "/healthz"), probed_pod());
  CHECK_FALSE(outcome.success);
  std::string address = "127.0.0.1:" + std::to_string(port);
  CHECK(outcome.message == "Get \"http://" + address + "/healthz\": dial tcp " + address +
                               ": connect: connection refused");
}

TEST_CASE("the kubelet's headers and the user's reach the server") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  SECTION("defaults: Host is the probed address, User-Agent kube-probe, Accept anything") {
    REQUIRE(probe(io, http_get(server.port(), "/healthz"), probed_pod()).success);
    const auto& seen = server.seen.at(0);
    CHECK(seen.header("host") == "127.0.0.1:" + std::to_string(server.port()));
    CHECK(seen.header("user-agent") == "kube-probe/1.32");
    CHECK(seen.header("accept") == "*/*");
    CHECK(seen.header("connection") == "close");
  }
  SECTION("httpHeaders are added and a Host header overrides the host") {
    json headers = {{{"name", "X-Probe"}, {"value", "yes"}},
                    {{"name", "Host"}, {"value", "app.example"}},
                    {{"name", "Accept"}, {"value", "application/json"}}};
    REQUIRE(probe(io, http_get(server.port(), "/healthz", {{"httpHeaders", headers}}), probed_pod())
                .success);
    const auto& seen = server.seen.at(0);
    CHECK(seen.header("x-probe") == "yes");
    CHECK(seen.header("host") == "app.example");
    CHECK(seen.header("accept") == "application/json");
    CHECK(seen.header("user-agent") == "kube-probe/1.32");
  }
  SECTION("the Host override survives a relative redirect") {
    json headers = {{{"name", "Host"}, {"value", "app.example"}}};
    REQUIRE(probe(io, http_get(server.port(), "/moved", {{"httpHeaders", headers}}), probed_pod())
                .success);
    REQUIRE(server.seen.size() == 2);
    CHECK(server.seen[1].header("host") == "app.example");
  }
  SECTION("an empty Accept sends none") {
    json headers = {{{"name", "Accept"}, {"value", ""}}};
    REQUIRE(probe(io, http_get(server.port(), "/healthz", {{"httpHeaders", headers}}), probed_pod())
                .success);
    CHECK_FALSE(server.seen.at(0).header("accept"));
  }
  SECTION("a header value with a line break is refused before anything is sent") {
    json headers = {{{"name", "X-Bad"}, {"value", "a\r\nX-Injected: 1"}}};
    auto outcome =
        probe(io, http_get(server.port(), "/healthz", {{"httpHeaders", headers}}), probed_pod());
    CHECK_FALSE(outcome.success);
    CHECK(outcome.message == "Get \"" + url(server, "/healthz") +
                                 "\": net/http: invalid header field value for \"X-Bad\"");
    CHECK(server.seen.empty());
  }
}

TEST_CASE("an absolute redirect within the host drops the Host override, as Go's client does") {
  asio::io_context io;
  int port = 0;
  TestHttpServer server(io, [&port](const SeenRequest& request) {
    if (request.target == "/absolute")
      return Reply{301, {{"Location", "http://127.0.0.1:" + std::to_string(port) + "/healthz"}}};
    return Reply{};
  });
  port = server.port();
  json headers = {{{"name", "Host"}, {"value", "app.example"}}};
  REQUIRE(probe(io, http_get(port, "/absolute", {{"httpHeaders", headers}}), probed_pod()).success);
  REQUIRE(server.seen.size() == 2);
  CHECK(server.seen[0].header("host") == "app.example");
  CHECK(server.seen[1].header("host") == "127.0.0.1:" + std::to_string(port));
}

TEST_CASE("a named port resolves through the container's ports; the host defaults to the pod IP") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  json ports = {{{"name", "metrics"}, {"containerPort", 1}},
                {{"name", "web"}, {"containerPort", server.port()}}};
  CHECK(probe(io, http_get("web", "/healthz"), probed_pod(ports)).success);
  auto unknown = probe(io, http_get("nope", "/healthz"), probed_pod(ports));
  CHECK_FALSE(unknown.success);
  CHECK(unknown.message == "couldn't find port: nope in the container's ports");

  ProbeTarget elsewhere = probed_pod();
  elsewhere.pod_ip =
      "127.0.0.3";  // nothing listens there: only an explicit host reaches the server
  CHECK(probe(io, http_get(server.port(), "/healthz", {{"host", "127.0.0.1"}}), elsewhere).success);
}

TEST_CASE("a large body is read only up to 10 KiB and the status still decides") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  auto outcome = probe(io, http_get(server.port(), "/large"), probed_pod());
  CHECK(outcome.success);
  CHECK(outcome.message.empty());
}

TEST_CASE("two hundred probes in flight at once do not wait for each other or block the loop") {
  asio::io_context io;
  TestHttpServer server(io, routes);
  constexpr int kProbes = 200;
  int succeeded = 0, finished = 0;
  size_t seen_at_first_answer = 0;
  for (int i = 0; i < kProbes; ++i)
    run_probe(io, http_get(server.port(), "/slow"), probed_pod(), 3s,
              [&](bool success, std::string) {
                if (finished++ == 0) seen_at_first_answer = server.seen.size();
                succeeded += success;
              });
  // A timer due long before any answer must run while every probe waits: the loop is not blocked.
  int finished_when_ticked = -1;
  asio::steady_timer tick(io, 20ms);
  tick.async_wait([&](boost::system::error_code) { finished_when_ticked = finished; });

  auto give_up = Clock::now() + 30s;  // a bound for a broken build, not a speed requirement
  while (finished < kProbes && Clock::now() < give_up) io.run_one_for(100ms);
  CHECK(finished == kProbes);
  CHECK(succeeded == kProbes);
  CHECK(server.seen.size() == kProbes);
  // Serialised, each request would reach the server only after the previous answer.
  CHECK(seen_at_first_answer > 1);
  CHECK(finished_when_ticked == 0);
}

TEST_CASE("destroying the io_context with probes in flight runs no callback and frees everything") {
  bool called = false;
  {
    asio::io_context io;
    TestHttpServer server(io, routes);
    for (int i = 0; i < 5; ++i)
      run_probe(io, http_get(server.port(), "/hang"), probed_pod(), 10s,
                [&called](bool, std::string) { called = true; });
    auto until = Clock::now() + 100ms;
    while (server.seen.size() < 5 && Clock::now() < until) io.run_one_for(10ms);
    CHECK(server.seen.size() == 5);
  }
  CHECK_FALSE(called);
}

#ifdef KINDA_TEST_TLS
TEST_CASE("HTTPS probes accept any certificate, as the kubelet's do") {
  // A self-signed certificate for CN=kinda-probe-test, valid until 2126.
  static const char* kKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg6TglSzv+XNL+y3km
n7/aeliIDXHTpNMOCDM1CK3zftahRANCAASYdG4ImCgTxbY1kmYUjvvLZ/n5DCzt
gDYrWjvjjJ019CTr7XumM8s1yFFrqnX3lbPFz127suPHz6EMp6OAtR4G
-----END PRIVATE KEY-----
)";
  static const char* kCertificate = R"(-----BEGIN CERTIFICATE-----
MIIBjTCCATOgAwIBAgIUAeCpr4N+FS/gpgEYKdKXt305E6AwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQa2luZGEtcHJvYmUtdGVzdDAgFw0yNjExMjMxMzM1MTNaGA8y
MTI2MTAzMDEzMzUxM1owGzEZMBcGA1UEAwwQa2luZGEtcHJvYmUtdGVzdDBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABJh0bgiYKBPFtjWSZhSO+8tn+fkMLO2ANita
O+OMnTX0JOvte6YzyzXIUWuqdfeVs8XPXbuy48fPoQyno4C1HgajUzBRMB0GA1Ud
DgQWBBQea5pXyMeliQW51sb0VrOPk+cSyTAfBgNVHSMEGDAWgBQea5pXyMeliQW5
1sb0VrOPk+cSyTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCy
juyuZdGZWFoL5Mo7W+vs8IEYTxJOUjiTC/Ah2xV9pAIgNI0QxgU1UyLEP2PLpEJE
s6EoOCPpmm24hzg6d0TMEGs=
-----END CERTIFICATE-----
)";
  asio::io_context io;
  asio::ssl::context tls(asio::ssl::context::tls_server);
  tls.use_certificate_chain(asio::buffer(std::string(kCertificate)));
  tls.use_private_key(asio::buffer(std::string(kKey)), asio::ssl::context::pem);
  TestHttpServer server(io, routes, tls);
  auto ok = probe(io, http_get(server.port(), "/healthz", {{"scheme", "HTTPS"}}), probed_pod());
  INFO(ok.message);
  CHECK(ok.success);
  CHECK(ok.message.empty());
  auto down = probe(io, http_get(server.port(), "/down", {{"scheme", "HTTPS"}}), probed_pod());
  CHECK(down.message == "HTTP probe failed with statuscode: 503");
  REQUIRE(server.seen.size() == 2);
  CHECK(server.seen[0].header("user-agent") == "kube-probe/1.32");
}
#endif

}  // namespace
