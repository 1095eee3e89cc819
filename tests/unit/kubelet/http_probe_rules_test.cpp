// The kubelet's httpGet rules as pure functions: the request built from a handler, the verdict
// on a status, and which redirects are followed.
#include <catch2/catch.hpp>

#include "kubelet/prober/http_probe_outcome.hpp"
#include "kubelet/prober/http_probe_request.hpp"

namespace {

using namespace kinda::kubelet;
using nlohmann::json;

ProbeTarget pod_target() {
  return ProbeTarget{"127.64.0.2", 0, {}, "", json::array(), ""};
}

HttpProbeRequest request_for(const json& http_get) {
  auto request = http_probe_request(http_get, pod_target());
  REQUIRE(request);
  return *request;
}

std::vector<std::string> lines(const HttpProbeRequest& request) {
  std::vector<std::string> out;
  for (const auto& h : request.headers) out.push_back(h.name + ": " + h.value);
  return out;
}

TEST_CASE("the URL defaults to HTTP, the pod IP and /") {
  auto request = request_for({{"port", 8080}});
  CHECK(request.url == "http://127.64.0.2:8080/");
  CHECK(request.host == "127.64.0.2");
  CHECK(request_for({{"port", 8443}, {"scheme", "HTTPS"}, {"path", "/healthz?full=1"}}).url ==
        "https://127.64.0.2:8443/healthz?full=1");
  CHECK(request_for({{"port", 80}, {"path", "ready"}}).url == "http://127.64.0.2:80/ready");
  CHECK(request_for({{"port", 80}, {"host", "::1"}}).url == "http://[::1]:80/");
}

TEST_CASE("a port that resolves to nothing is an error naming it") {
  auto request = http_probe_request({{"port", "metrics"}}, pod_target());
  REQUIRE_FALSE(request);
  CHECK(request.error().message == "couldn't find port: metrics in the container's ports");
  ProbeTarget named = pod_target();
  named.container_ports = {{{"name", "metrics"}, {"containerPort", 9100}}};
  CHECK(http_probe_request({{"port", "metrics"}}, named)->url == "http://127.64.0.2:9100/");
}

TEST_CASE("User-Agent and Accept are added unless given; an empty one means none") {
  CHECK(lines(request_for({{"port", 80}})) ==
        std::vector<std::string>{"User-Agent: kube-probe/1.32", "Accept: */*"});
  json given = {{{"name", "user-agent"}, {"value", "mine"}},
                {{"name", "X-A"}, {"value", ""}},
                {{"name", "User-Agent"}, {"value", "second"}},
                {{"name", "Accept"}, {"value", ""}},
                {{"name", "Host"}, {"value", "app.example"}}};
  auto request = request_for({{"port", 80}, {"httpHeaders", given}});
  CHECK(lines(request) == std::vector<std::string>{"user-agent: mine", "X-A: "});
  CHECK(request.host_header == "app.example");
}

TEST_CASE("header names must be tokens and values free of line breaks") {
  auto bad_name = http_probe_request(
      {{"port", 80}, {"httpHeaders", {{{"name", "X A"}, {"value", "v"}}}}}, pod_target());
  REQUIRE_FALSE(bad_name);
  CHECK(bad_name.error().message ==
        "Get \"http://127.64.0.2:80/\": net/http: invalid header field name \"X A\"");
  CHECK_FALSE(http_probe_request(
      {{"port", 80}, {"httpHeaders", {{{"name", "X-A"}, {"value", "v\nInjected: 1"}}}}},
      pod_target()));
  CHECK(http_probe_request(
      {{"port", 80}, {"httpHeaders", {{{"name", "X-A"}, {"value", "tab\tis fine"}}}}},
      pod_target()));
}

TEST_CASE("2xx succeeds, an unfollowed 3xx succeeds with a warning, the rest fails") {
  CHECK(status_verdict(200, "body").success);
  CHECK(status_verdict(204, "").message.empty());
  auto redirect = status_verdict(302, "gone");
  CHECK(redirect.success);
  CHECK(redirect.message == "Probe terminated redirects, Response body: gone");
  CHECK(status_verdict(301, std::string(20000, 'x')).message.size() ==
        std::string("Probe terminated redirects, Response body: ").size() + kMaxProbeBody);
  CHECK(status_verdict(199, "").message == "HTTP probe failed with statuscode: 199");
  CHECK_FALSE(status_verdict(404, "").success);
  CHECK(status_verdict(503, "busy").message == "HTTP probe failed with statuscode: 503");
}

TEST_CASE("redirects are followed within the host, ten requests at most") {
  CHECK(is_followed_redirect(301));
  CHECK(is_followed_redirect(308));
  CHECK_FALSE(is_followed_redirect(300));
  CHECK_FALSE(is_followed_redirect(304));
  CHECK(redirect_step("127.64.0.2", "127.64.0.2", 1) == RedirectStep::Follow);
  CHECK(redirect_step("127.64.0.2", "127.64.0.3", 1) == RedirectStep::Stop);
  CHECK(redirect_step("127.64.0.2", "127.64.0.3", 10) == RedirectStep::Stop);
  CHECK(redirect_step("127.64.0.2", "127.64.0.2", 9) == RedirectStep::Follow);
  CHECK(redirect_step("127.64.0.2", "127.64.0.2", 10) == RedirectStep::TooMany);
}

TEST_CASE("a Location is absolute when it starts with a scheme") {
  CHECK(is_absolute_url("http://a/b"));
  CHECK(is_absolute_url("HTTPS://a"));
  CHECK_FALSE(is_absolute_url("/healthz"));
  CHECK_FALSE(is_absolute_url("//other/path"));
  CHECK_FALSE(is_absolute_url("ready?x=a:b"));
}

TEST_CASE("failure messages read like Go's HTTP client errors") {
  CHECK(request_failure("http://127.64.0.2:8080/healthz", deadline_cause(false)) ==
        "Get \"http://127.64.0.2:8080/healthz\": context deadline exceeded (Client.Timeout "
        "exceeded while awaiting headers)");
  CHECK(dial_cause("127.64.0.2:8080", "Connection refused") ==
        "dial tcp 127.64.0.2:8080: connect: connection refused");
  CHECK(join_host_port("::1", 80) == "[::1]:80");
}

}  // namespace
