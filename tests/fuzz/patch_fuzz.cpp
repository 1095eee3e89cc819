// Fuzz entry point for PATCH: an object and a patch body take the API server's patch path (JSON
// patch, merge patch, strategic merge patch; then the update's defaulting and validation).
// Input: the object as a manifest, a line "#patch json|merge|strategic", then the patch body;
// without that line the whole input is a patch of a fixed StatefulSet, its type chosen by the
// input's length. Refusals must be 4xx; a patched object the server stores must pass
// check_accepted like any other.
#include <string>
#include <string_view>

#include "api/manifest.hpp"
#include "api/object.hpp"
#include "api/patch.hpp"
#include "tests/fuzz/api_fuzz_server.hpp"

namespace {

using nlohmann::json;
using namespace kinda;

constexpr std::string_view kSeparator = "\n#patch ";

constexpr std::string_view kDefaultObject = R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, labels: {app: web}}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: busybox
        command: [sleep, "3600"]
        ports: [{name: http, containerPort: 8080}]
        env: [{name: A, value: "1"}]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
)";

void expect_4xx(const Error& error, const json& object) {
  if (error.code < 400 || error.code > 499 || error.message.empty())
    fuzz::violated(("a refused patch that is not a clear 4xx: " + std::to_string(error.code) + " " +
                    error.message)
                       .c_str(),
                   object);
}

}  // namespace

int fuzz_patch(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view object_text = kDefaultObject, body = input;
  api::PatchType type = static_cast<api::PatchType>(size % 3);
  if (auto at = input.find(kSeparator); at != std::string_view::npos) {
    object_text = input.substr(0, at);
    std::string_view rest = input.substr(at + kSeparator.size());
    std::string_view word = rest.substr(0, rest.find('\n'));
    body = rest.substr(std::min(rest.size(), word.size() + 1));
    type = word == "json"    ? api::PatchType::kJson
           : word == "merge" ? api::PatchType::kMerge
                             : api::PatchType::kStrategic;
  }
  auto objects = api::parse_manifests(object_text, "fuzz.yaml");
  if (!objects || objects->empty()) return 0;
  const json& object = objects->front();
  const auto* resource =
      api::resource_for_kind(api::string_at(object, "apiVersion"), api::string_at(object, "kind"));
  if (!resource) return 0;
  const std::string ns = resource->namespaced ? "default" : "";
  auto created = fuzz::fuzz_objects().create(*resource, ns, object);
  if (created) {
    const std::string name = api::name_of(*created);
    const std::string content_type = api::content_type_of(type);
    auto patched = fuzz::fuzz_objects().patch(*resource, ns, name, content_type, std::string(body));
    if (patched)
      fuzz::check_accepted(*resource, *patched);
    else
      expect_4xx(patched.error(), *created);
    auto status =
        fuzz::fuzz_objects().patch_status(*resource, ns, name, content_type, std::string(body));
    if (status)
      fuzz::check_accepted(*resource, *status);
    else
      expect_4xx(status.error(), *created);
  }
  fuzz::reset_store();
  return 0;
}
