// Fuzz entry point for the API routes: a request (method, path and query, Content-Type, body) goes
// to the daemon's ApiRouter over a store holding a StatefulSet, its Service, a pod and a
// ConfigMap. Input: "METHOD TARGET\nCONTENT-TYPE\nBODY". Every answer must be JSON, and an error
// a Kubernetes Status whose code is the HTTP status; nothing may answer 5xx or crash. Streams
// (watches) are only checked to be offered, not run.
#include <boost/asio/io_context.hpp>

#include <string>
#include <string_view>

#include "api/manifest.hpp"
#include "api/object.hpp"
#include "apiserver/endpoints/api_router.hpp"
#include "tests/fuzz/api_fuzz_server.hpp"

namespace {

using nlohmann::json;
using namespace kinda;

constexpr std::string_view kObjects = R"(
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 8080, name: http}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, labels: {app: web}}
spec:
  containers: [{name: web, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: "1"}
)";

void seed_objects() {
  static const auto manifests = api::parse_manifests(kObjects, "seed");
  for (const json& object : *manifests) {
    const auto* resource = api::resource_for_kind(api::string_at(object, "apiVersion"),
                                                  api::string_at(object, "kind"));
    (void)fuzz::fuzz_objects().create(*resource, "default", object);
  }
}

apiserver::Request to_request(std::string_view input) {
  auto line = [&input] {
    std::string_view l = input.substr(0, input.find('\n'));
    input.remove_prefix(std::min(input.size(), l.size() + 1));
    return l;
  };
  std::string_view request_line = line();
  apiserver::Request request;
  request.method = std::string(request_line.substr(0, request_line.find(' ')));
  std::string_view target =
      request_line.substr(std::min(request_line.size(), request.method.size() + 1));
  request.path = std::string(target.substr(0, target.find('?')));
  if (auto q = target.find('?'); q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      auto eq = pair.find('=');
      request.query[std::string(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      query.remove_prefix(std::min(query.size(), pair.size() + 1));
    }
  }
  request.content_type = std::string(line());
  request.body = std::string(input);
  return request;
}

}  // namespace

int fuzz_request(const uint8_t* data, size_t size) {
  static boost::asio::io_context io;
  static apiserver::ApiRouter router(io, fuzz::fuzz_objects(), apiserver::RouterHooks{});
  seed_objects();
  const apiserver::Request request =
      to_request(std::string_view(reinterpret_cast<const char*>(data), size));
  const apiserver::Reply reply = router.handle(request);
  if (!reply.stream) {
    const apiserver::Response& response = reply.response;
    json body = json::parse(response.body, nullptr, false);
    if (response.status >= 500 || response.status < 200)
      fuzz::violated(("answered " + std::to_string(response.status) + " to " + request.method +
                      " " + request.path)
                         .c_str(),
                     body);
    if (response.content_type == "application/json" && body.is_discarded())
      fuzz::violated("an answer that is not JSON", json(response.body));
    if (response.status >= 400 && (!body.is_object() || body.value("kind", json()) != "Status" ||
                                   body.value("code", json()) != response.status))
      fuzz::violated("an error answer that is not a Status with its code", body);
  }
  fuzz::reset_store();
  return 0;
}
