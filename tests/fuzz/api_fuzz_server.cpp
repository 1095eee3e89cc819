#include "tests/fuzz/api_fuzz_server.hpp"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "api/endpoint_views.hpp"
#include "api/labels.hpp"
#include "api/manifest.hpp"
#include "api/object.hpp"
#include "api/yaml_emit.hpp"
#include "controller/scheduler/scheduler.hpp"
#include "controller/statefulset/statefulset_plan.hpp"
#include "dns/zone_index.hpp"
#include "kubelet/container_launch.hpp"
#include "kubelet/image_map.hpp"
#include "kubelet/prober/http_probe_request.hpp"
#include "kubelet/prober/probes.hpp"
#include "storage/store.hpp"

namespace kinda::fuzz {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The store lives for the whole fuzzing process: opening one (and migrating it) per input would
// cost more than the input itself. Its directory goes with it when the process exits.
struct FuzzStore {
  FuzzStore() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "kinda-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    dir = pattern;
    auto opened = storage::Store::open(dir / "state.db");
    if (!opened) throw std::runtime_error(opened.error().message);
    store = std::move(*opened);
    objects = std::make_unique<apiserver::ObjectService>(*store, 64);
    reset();
  }

  ~FuzzStore() {
    objects.reset();
    store.reset();  // closes the database before its directory goes
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  static FuzzStore& instance() {
    static FuzzStore fuzz_store;
    return fuzz_store;
  }

  void reset() {
    for (const auto& resource : api::all_resources())
      for (const auto& object : store->list(resource.plural))
        (void)store->remove(resource.plural, api::namespace_of(object), api::name_of(object));
    // The default namespace comes back fresh: an input may have deleted (terminated) it.
    (void)objects->create(*api::find_resource("namespaces"), "",
                          json{{"metadata", {{"name", "default"}}}});
  }

  fs::path dir;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<apiserver::ObjectService> objects;
};

void check_round_trip(const json& object) {
  for (const std::string& text : {object.dump(), api::to_yaml(object)}) {
    auto read = api::parse_manifests(text, "round-trip");
    if (!read || read->size() != 1 || read->front() != object)
      violated("an accepted object does not read back the same from its JSON/YAML", object);
  }
}

void check_pod(const json& pod) {
  static const kubelet::ImageMap images = kubelet::default_images();
  kubelet::LaunchContext context;
  context.images = &images;
  context.config_path = "config.json";
  context.pod_ip = "127.64.0.2";
  context.host_path = "/usr/bin:/bin";
  const json& spec = pod["spec"];
  for (const char* list : {"initContainers", "containers"}) {
    if (!spec.contains(list)) continue;
    for (const json& container : spec[list]) {
      (void)kubelet::build_launch(pod, container, context);
      for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
        // As run_probe reads a tcpSocket handler.
        if (const json* tcp = api::find_path(container, std::string(probe) + ".tcpSocket"))
          (void)tcp->value("host", context.pod_ip);
        const json* http_get = api::find_path(container, std::string(probe) + ".httpGet");
        if (!http_get) continue;
        kubelet::ProbeTarget target;
        target.pod_ip = context.pod_ip;
        target.container_ports = container.value("ports", json::array());
        (void)kubelet::http_probe_request(*http_get, target);
      }
      // As the pod manager reads mounts; a subPath must stay inside its volume.
      for (const json& mount : container.value("volumeMounts", json::array())) {
        (void)mount.value("readOnly", false);
        const std::string sub = mount.value("subPath", "");
        if (!sub.empty() &&
            (sub.front() == '/' || ("/" + sub + "/").find("/../") != std::string::npos))
          violated("an accepted subPath leaves its volume", mount);
      }
    }
  }
  static const std::vector<json> nodes = {
      {{"metadata", {{"name", "node-1"}}},
       {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}}};
  (void)controller::schedule_pod(pod, nodes, {});
  dns::ZoneIndex zone;
  zone.upsert_namespace(api::namespace_of(pod));
  zone.upsert_pod(api::endpoint_pod_of(pod));
  // The StatefulSet controller reads its pods' status (readiness, conditions, phase).
  static const json owner = json::parse(R"({"metadata": {"name": "p", "namespace": "default"},
      "spec": {"replicas": 2, "minReadySeconds": 5, "selector": {"matchLabels": {"a": "b"}},
               "template": {"metadata": {"labels": {"a": "b"}}, "spec": {}}}})");
  (void)controller::plan_statefulset(owner, {pod}, {}, std::chrono::system_clock::now());
}

void check_statefulset(const json& set) {
  const auto& pods = *api::find_resource("pods");
  const auto& claims = *api::find_resource("persistentvolumeclaims");
  (void)controller::pod_for_ordinal(set, 7, controller::template_revision(set));
  std::vector<json> made[2];  // the pods and the claims, for the next reconcile step
  auto plan = controller::plan_statefulset(set, {}, {}, std::chrono::system_clock::now());
  for (const auto& action : plan.actions) {
    if (action.kind != controller::SetAction::Kind::CreatePod &&
        action.kind != controller::SetAction::Kind::CreateClaim)
      continue;
    const auto& resource = action.kind == controller::SetAction::Kind::CreatePod ? pods : claims;
    auto created = fuzz_objects().create(resource, api::namespace_of(set), action.object);
    if (!created && created.error().reason != "AlreadyExists")
      violated(("the API refuses what a valid StatefulSet's controller creates: " +
                created.error().message)
                   .c_str(),
               action.object);
    if (!created) continue;
    check_accepted(resource, *created);
    made[&resource == &pods ? 0 : 1].push_back(*created);
  }
  (void)controller::plan_statefulset(set, made[0], made[1], std::chrono::system_clock::now());
}

}  // namespace

apiserver::ObjectService& fuzz_objects() {
  return *FuzzStore::instance().objects;
}

void reset_store() {
  FuzzStore::instance().reset();
}

void check_accepted(const api::ResourceInfo& resource, const json& object) {
  check_round_trip(object);
  // The accessors every controller uses on every stored object.
  (void)api::controller_uid(object);
  (void)api::labels_of(object);
  (void)api::pod_is_ready(object);
  (void)api::pod_protects_claim(object, "data");
  (void)api::int_at(object, "spec.replicas");
  if (resource.plural == "pods") check_pod(object);
  if (resource.plural == "statefulsets") check_statefulset(object);
  if (resource.plural == "services") {
    dns::ZoneIndex zone;
    zone.upsert_namespace(api::namespace_of(object));
    zone.upsert_service(api::endpoint_service_of(object));
  }
}

void violated(const char* what, const json& object) {
  std::fprintf(stderr, "fuzz: %s\n%s\n", what, object.dump(2).substr(0, 4000).c_str());
  std::abort();
}

}  // namespace kinda::fuzz
