#include "controller/gc/garbage_collector.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "api/resources.hpp"
#include "apiserver/registry/dependents.hpp"
#include "controller/gc/owner_judgement.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

const json* owner_references(const json& object) {
  const auto* refs = api::find_path(object, "metadata.ownerReferences");
  return refs && refs->is_array() && !refs->empty() ? refs : nullptr;
}

// The kind of the object's controller reference ("StatefulSet"), "" when none.
std::string controller_kind(const json& object) {
  if (const auto* refs = owner_references(object))
    for (const auto& ref : *refs)
      if (api::bool_at(ref, "controller")) return api::string_at(ref, "kind");
  return "";
}

bool higher_ordinal_first(const json& a, const json& b) {
  const auto &x = api::name_of(a), &y = api::name_of(b);
  return x.size() != y.size() ? x.size() > y.size() : x > y;
}

struct Dependent {
  const api::ResourceInfo* kind;
  json object;
  Judgement judgement;
};

}  // namespace

GarbageCollector::GarbageCollector(boost::asio::io_context& io, apiserver::ObjectService& objects)
    : objects_(objects), queue_(io, [this](const std::string& key) {
        auto slash = key.find('/');
        auto kind = key.substr(0, slash), ns = key.substr(slash + 1);
        if (kind == "owners")
          collect_orphans(ns);
        else
          drain_namespace(ns);
      }) {}

void GarbageCollector::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& ns : objects_.store().list("namespaces"))
    if (api::is_terminating(ns)) queue_.add("namespace/" + api::name_of(ns));
  queue_every_namespace();
}

void GarbageCollector::queue_every_namespace() {
  for (const auto& ns : objects_.store().list("namespaces"))
    queue_.add("owners/" + api::name_of(ns));
}

void GarbageCollector::on_event(const storage::WatchEvent& e) {
  if (e.resource == "events") return;
  if (e.resource == "namespaces") {
    if (api::is_terminating(e.object)) queue_.add("namespace/" + api::name_of(e.object));
    return;
  }
  // An owner gone or waiting in the foreground; a dependent gone (the next pod of a deleted set
  // goes once the one before it is gone, an owner in the foreground once its last dependent is).
  if (e.type == storage::EventType::Deleted || apiserver::deleting_in_foreground(e.object)) {
    const auto* kind = api::find_resource(e.resource);
    if (kind && !kind->namespaced)
      queue_every_namespace();  // a cluster-scoped owner may have dependents anywhere
    else
      queue_.add("owners/" + api::namespace_of(e.object));
  }
  if ((e.resource == "pods" || e.resource == "persistentvolumeclaims") &&
      e.type == storage::EventType::Deleted) {
    auto ns = objects_.store().get("namespaces", "", api::namespace_of(e.object));
    if (ns && api::is_terminating(*ns)) queue_.add("namespace/" + api::namespace_of(e.object));
  }
}

void GarbageCollector::collect_orphans(const std::string& ns) {
  // One pass over the namespace's objects and the cluster's: the daemon's loop runs nothing else
  // meanwhile, so owners and dependents are seen at one instant.
  Owners owners;
  std::vector<Dependent> dependents;
  std::vector<std::pair<const api::ResourceInfo*, json>> waiting;
  for (const auto* kind : apiserver::dependent_kinds()) {
    for (auto& object : objects_.store().list(kind->plural, kind->namespaced ? ns : "")) {
      if (apiserver::deleting_in_foreground(object)) {
        owners.waiting.insert(api::uid_of(object));
        if (kind->namespaced) waiting.emplace_back(kind, object);
      } else {
        owners.live.insert(api::uid_of(object));
      }
      // Cluster-scoped objects are not collected: no kind kinda serves gives them owners.
      if (kind->namespaced && owner_references(object))
        dependents.push_back({kind, std::move(object), {}});
    }
  }
  // Pods of a deleted StatefulSet go one at a time, highest ordinal first (each once the one
  // before it is fully gone), as the set's own scale-down would take them.
  std::map<std::string, std::vector<json>> set_pods;
  std::set<std::string> set_busy;
  for (auto& d : dependents) {
    d.judgement = judge(*owner_references(d.object), owners);
    const auto& name = api::name_of(d.object);
    if (d.judgement.verdict == Verdict::kKeep) continue;
    if (d.judgement.verdict == Verdict::kDropReferences) {
      spdlog::info("garbage collector: {} {}/{} forgets owners that are gone", d.kind->singular, ns,
                   name);
      d.object["metadata"]["ownerReferences"] = d.judgement.kept;
      (void)objects_.store().update(d.kind->plural, d.object);
      continue;
    }
    if (d.kind->plural == "pods" && controller_kind(d.object) == "StatefulSet") {
      auto owner = api::controller_uid(d.object);
      if (api::is_terminating(d.object))
        set_busy.insert(owner);
      else
        set_pods[owner].push_back(std::move(d.object));
      continue;
    }
    if (api::is_terminating(d.object)) continue;
    spdlog::info("garbage collector: deleting {} {}/{} (owner gone)", d.kind->singular, ns, name);
    apiserver::DeleteOptions options;
    options.propagation_policy = d.judgement.owner_waiting ? "Foreground" : "Background";
    (void)objects_.remove(*d.kind, ns, name, options);
  }
  for (auto& [owner, pods] : set_pods) {
    if (set_busy.count(owner)) continue;
    auto& next = *std::min_element(pods.begin(), pods.end(), higher_ordinal_first);
    spdlog::info("garbage collector: deleting pod {}/{} (owner gone)", ns, api::name_of(next));
    (void)objects_.remove(*api::find_resource("pods"), ns, api::name_of(next), {});
  }
  for (auto& [kind, owner] : waiting) {
    if (apiserver::has_blocking_dependents(objects_.store(), owner)) continue;
    auto& finalizers = owner["metadata"]["finalizers"];
    finalizers.erase(
        std::remove(finalizers.begin(), finalizers.end(), apiserver::kForegroundDeletion),
        finalizers.end());
    spdlog::info("garbage collector: {} {}/{} has no dependents left; deleting it", kind->singular,
                 ns, api::name_of(owner));
    if (finalizers.empty())
      (void)objects_.finalize(*kind, owner);
    else
      (void)objects_.store().update(kind->plural, owner);
  }
}

void GarbageCollector::drain_namespace(const std::string& ns) {
  auto found = objects_.store().get("namespaces", "", ns);
  if (!found || !api::is_terminating(*found)) return;
  bool remaining = false;
  // Every namespaced kind, so a kind added to the resource table is drained too; the workload
  // controllers go first, so that their pods are not recreated while they are being deleted.
  std::vector<const api::ResourceInfo*> kinds;
  for (const char* controller :
       {"cronjobs", "deployments", "statefulsets", "daemonsets", "jobs", "replicasets"})
    if (const auto* r = api::find_resource(controller); r && r->plural == controller)
      kinds.push_back(r);
  for (const auto& r : api::all_resources())
    if (r.namespaced && std::find(kinds.begin(), kinds.end(), &r) == kinds.end())
      kinds.push_back(&r);
  for (const api::ResourceInfo* kind : kinds) {
    const auto& r = *kind;
    for (const auto& obj : objects_.store().list(r.plural, ns)) {
      remaining = true;
      if (!api::is_terminating(obj)) (void)objects_.remove(r, ns, api::name_of(obj), {});
    }
  }
  if (!remaining) {
    spdlog::info("namespace {} is empty; removing it", ns);
    (void)objects_.finalize(*api::find_resource("namespaces"), *found);
  } else {
    // Pods and claims finish asynchronously; their deletions wake this again.
    bool waiting_on_async = !objects_.store().list("pods", ns).empty() ||
                            !objects_.store().list("persistentvolumeclaims", ns).empty();
    if (!waiting_on_async) queue_.add("namespace/" + ns);
  }
}

}  // namespace kinda::controller
