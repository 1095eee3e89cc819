#include "apiserver/registry/dependents.hpp"

#include <algorithm>
#include <set>

#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::apiserver {
namespace {

using nlohmann::json;

bool names_owner(const json& ref, const std::string& uid) {
  return ref.is_object() && api::string_at(ref, "uid") == uid;
}

// The registries that answer a DELETE with the object itself (ReturnDeletedObject).
const std::set<std::string>& returns_deleted_object() {
  static const std::set<std::string> kinds = {"pods", "persistentvolumeclaims", "services",
                                              "namespaces"};
  return kinds;
}

std::string dependents_namespace(const api::ResourceInfo& kind, const Object& owner) {
  // A namespaced owner's dependents share its namespace; a cluster-scoped owner's may be anywhere.
  return kind.namespaced ? api::namespace_of(owner) : "";
}

}  // namespace

std::vector<const api::ResourceInfo*> dependent_kinds() {
  std::vector<const api::ResourceInfo*> kinds;
  for (const auto& r : api::all_resources())
    if (r.plural != "events") kinds.push_back(&r);
  return kinds;
}

Status orphan_dependents(storage::Store& store, const Object& owner) {
  const std::string uid = api::uid_of(owner);
  const bool owner_namespaced = !api::namespace_of(owner).empty();
  for (const auto* kind : dependent_kinds()) {
    if (owner_namespaced && !kind->namespaced) continue;  // cluster objects never name one
    // EndpointSlices go with their Service whatever the policy: a slice naming a Service that
    // is gone is of no use to anyone.
    if (kind->plural == "endpointslices") continue;
    const std::string& plural = kind->plural;
    for (auto dependent : store.list(plural, dependents_namespace(*kind, owner))) {
      auto* refs =
          dependent["metadata"].is_object() && dependent["metadata"].contains("ownerReferences")
              ? &dependent["metadata"]["ownerReferences"]
              : nullptr;
      if (!refs || !refs->is_array()) continue;
      auto before = refs->size();
      refs->erase(std::remove_if(refs->begin(), refs->end(),
                                 [&](const json& ref) { return names_owner(ref, uid); }),
                  refs->end());
      if (refs->size() == before) continue;
      if (refs->empty()) dependent["metadata"].erase("ownerReferences");
      // A dependent that went meanwhile needs no orphaning.
      if (auto written = store.update(plural, std::move(dependent));
          !written && written.error().code != 404)
        return written.error();
    }
  }
  return Ok{};
}

bool has_blocking_dependents(const storage::Store& store, const Object& owner) {
  const std::string uid = api::uid_of(owner);
  const bool owner_namespaced = !api::namespace_of(owner).empty();
  for (const auto* kind : dependent_kinds()) {
    if (owner_namespaced && !kind->namespaced) continue;
    for (const auto& dependent : store.list(kind->plural, dependents_namespace(*kind, owner))) {
      const auto* refs = api::find_path(dependent, "metadata.ownerReferences");
      if (!refs || !refs->is_array()) continue;
      for (const auto& ref : *refs)
        if (names_owner(ref, uid) && api::bool_at(ref, "blockOwnerDeletion")) return true;
    }
  }
  return false;
}

Object marked_for_foreground_deletion(Object owner) {
  auto& meta = owner["metadata"];
  if (!meta.contains("deletionTimestamp")) {
    meta["deletionTimestamp"] = api::now_rfc3339();
    meta["deletionGracePeriodSeconds"] = 0;
  }
  if (!meta.contains("finalizers") || !meta["finalizers"].is_array())
    meta["finalizers"] = json::array();
  auto& finalizers = meta["finalizers"];
  if (std::find(finalizers.begin(), finalizers.end(), kForegroundDeletion) == finalizers.end())
    finalizers.push_back(kForegroundDeletion);
  return owner;
}

bool deleting_in_foreground(const Object& owner) {
  if (!api::is_terminating(owner)) return false;
  const auto* finalizers = api::find_path(owner, "metadata.finalizers");
  return finalizers && finalizers->is_array() &&
         std::find(finalizers->begin(), finalizers->end(), kForegroundDeletion) !=
             finalizers->end();
}

Object deletion_answer(const api::ResourceInfo& r, const Object& removed) {
  if (returns_deleted_object().count(r.plural) || api::is_terminating(removed)) return removed;
  // The API server names the resource (plural) in details.kind, as here.
  json details = {
      {"name", api::name_of(removed)}, {"kind", r.plural}, {"uid", api::uid_of(removed)}};
  if (!r.group.empty()) details["group"] = r.group;
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", json::object()},
          {"status", "Success"},
          {"details", details}};
}

}  // namespace kinda::apiserver
