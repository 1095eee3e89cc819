#include "controller/gc/garbage_collector.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "api/resources.hpp"
#include "apiserver/registry/dependents.hpp"

namespace kinda::controller {
namespace {

bool owner_gone(const api::Object& object, const std::set<std::string>& live_uids) {
  const auto* refs = api::find_path(object, "metadata.ownerReferences");
  if (!refs || !refs->is_array() || refs->empty()) return false;
  for (const auto& ref : *refs)
    if (live_uids.count(api::string_at(ref, "uid"))) return false;
  return true;
}

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
  for (const auto& ns : objects_.store().list("namespaces")) {
    queue_.add("owners/" + api::name_of(ns));
    if (api::is_terminating(ns)) queue_.add("namespace/" + api::name_of(ns));
  }
}

void GarbageCollector::on_event(const storage::WatchEvent& e) {
  if (e.resource == "statefulsets" &&
      (e.type == storage::EventType::Deleted || apiserver::deleting_in_foreground(e.object)))
    queue_.add("owners/" + api::namespace_of(e.object));
  // EndpointSlices go with the Service that owns them.
  if (e.resource == "services" && e.type == storage::EventType::Deleted)
    queue_.add("owners/" + api::namespace_of(e.object));
  if (e.resource == "namespaces" && api::is_terminating(e.object))
    queue_.add("namespace/" + api::name_of(e.object));
  // The next pod of a deleted set goes once the one before it is gone.
  // A set deleted in the foreground goes once its last claim and revision have gone too.
  if ((e.resource == "pods" || e.resource == "persistentvolumeclaims" ||
       e.resource == "controllerrevisions") &&
      e.type == storage::EventType::Deleted && !api::controller_uid(e.object).empty())
    queue_.add("owners/" + api::namespace_of(e.object));
  if ((e.resource == "pods" || e.resource == "persistentvolumeclaims") &&
      e.type == storage::EventType::Deleted) {
    auto ns = objects_.store().get("namespaces", "", api::namespace_of(e.object));
    if (ns && api::is_terminating(*ns)) queue_.add("namespace/" + api::namespace_of(e.object));
  }
}

void GarbageCollector::collect_orphans(const std::string& ns) {
  // A set deleted in the foreground is gone for its dependents already; it waits for them.
  std::set<std::string> live;
  std::vector<api::Object> waiting;
  for (auto& set : objects_.store().list("statefulsets", ns))
    if (apiserver::deleting_in_foreground(set))
      waiting.push_back(std::move(set));
    else
      live.insert(api::uid_of(set));
  // Until the generic collector: a DaemonSet's pods and revisions are not orphans either.
  for (const auto& ds : objects_.store().list("daemonsets", ns)) live.insert(api::uid_of(ds));
  // Pods of a deleted set go highest ordinal first, one at a time (each only when the one before
  // it is fully gone), as the set's own scale-down would take them.
  std::map<std::string, std::vector<api::Object>> by_owner;
  std::set<std::string> owner_busy;
  for (auto& pod : objects_.store().list("pods", ns)) {
    if (!owner_gone(pod, live)) continue;
    auto owner = api::controller_uid(pod);
    if (api::is_terminating(pod))
      owner_busy.insert(owner);
    else
      by_owner[owner].push_back(std::move(pod));
  }
  for (auto& [owner, pods] : by_owner) {
    std::sort(pods.begin(), pods.end(), [](const api::Object& a, const api::Object& b) {
      return api::name_of(a).size() != api::name_of(b).size()
                 ? api::name_of(a).size() > api::name_of(b).size()
                 : api::name_of(a) > api::name_of(b);
    });
    for (const auto& pod : pods) {
      if (owner_busy.count(owner)) break;
      spdlog::info("garbage collector: deleting pod {}/{} (owner gone)", ns, api::name_of(pod));
      (void)objects_.remove(*api::find_resource("pods"), ns, api::name_of(pod), {});
      if (!owner.empty()) owner_busy.insert(owner);  // pods with no controller all go at once
    }
  }
  for (const auto& revision : objects_.store().list("controllerrevisions", ns))
    if (owner_gone(revision, live) && !api::is_terminating(revision))
      (void)objects_.remove(*api::find_resource("controllerrevisions"), ns, api::name_of(revision),
                            {});
  for (const auto& claim : objects_.store().list("persistentvolumeclaims", ns))
    if (owner_gone(claim, live) && !api::is_terminating(claim)) {
      spdlog::info("garbage collector: deleting claim {}/{} (owner gone, whenDeleted=Delete)", ns,
                   api::name_of(claim));
      (void)objects_.remove(*api::find_resource("persistentvolumeclaims"), ns, api::name_of(claim),
                            {});
    }
  collect_service_dependents(ns);
  for (auto& set : waiting) {
    if (apiserver::has_blocking_dependents(objects_.store(), set)) continue;
    auto& finalizers = set["metadata"]["finalizers"];
    finalizers.erase(
        std::remove(finalizers.begin(), finalizers.end(), apiserver::kForegroundDeletion),
        finalizers.end());
    spdlog::info("garbage collector: statefulset {}/{} has no dependents left; deleting it", ns,
                 api::name_of(set));
    if (finalizers.empty())
      (void)objects_.finalize(*api::find_resource("statefulsets"), set);
    else
      (void)objects_.store().update("statefulsets", set);
  }
}

void GarbageCollector::collect_service_dependents(const std::string& ns) {
  std::set<std::string> services;
  for (const auto& service : objects_.store().list("services", ns))
    services.insert(api::uid_of(service));
  for (const auto& slice : objects_.store().list("endpointslices", ns))
    if (owner_gone(slice, services)) {
      spdlog::info("garbage collector: deleting endpointslice {}/{} (owner gone)", ns,
                   api::name_of(slice));
      (void)objects_.remove(*api::find_resource("endpointslices"), ns, api::name_of(slice), {});
    }
}

void GarbageCollector::drain_namespace(const std::string& ns) {
  auto found = objects_.store().get("namespaces", "", ns);
  if (!found || !api::is_terminating(*found)) return;
  bool remaining = false;
  // Every namespaced kind, so a kind added to the resource table is drained too; the sets go
  // first, so that their pods are not recreated while they are being deleted.
  std::vector<const api::ResourceInfo*> kinds = {api::find_resource("statefulsets")};
  for (const auto& r : api::all_resources())
    if (r.namespaced && r.plural != "statefulsets") kinds.push_back(&r);
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
