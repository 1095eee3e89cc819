#include "controller/claim/volume_plan.hpp"

#include <algorithm>

#include "api/object.hpp"
#include "api/quantity.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

std::string annotation(const Object& object, const char* key) {
  const json* annotations = api::find_path(object, "metadata.annotations");
  if (!annotations || !annotations->is_object()) return "";
  auto it = annotations->find(key);
  return it != annotations->end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<int64_t> bytes_at(const Object& object, const char* dotted) {
  const json* value = api::find_path(object, dotted);
  return value ? api::memory_bytes(*value) : std::nullopt;
}

json list_at(const Object& object, const char* dotted) {
  const json* value = api::find_path(object, dotted);
  return value && value->is_array() ? *value : json::array();
}

bool has_modes(const Object& volume, const json& wanted) {
  const json offered = list_at(volume, "spec.accessModes");
  for (const auto& mode : wanted)
    if (std::find(offered.begin(), offered.end(), mode) == offered.end()) return false;
  return true;
}

}  // namespace

std::string claim_storage_class(const Object& claim) {
  const json* annotations = api::find_path(claim, "metadata.annotations");
  if (annotations && annotations->is_object() &&
      annotations->contains("volume.beta.kubernetes.io/storage-class"))
    return annotation(claim, "volume.beta.kubernetes.io/storage-class");
  return api::string_at(claim, "spec.storageClassName");
}

std::string provisioned_volume_name(const Object& claim) {
  return "pvc-" + api::uid_of(claim);
}

Object provisioned_volume(const Object& claim, const Object* storage_class,
                          const std::string& path) {
  const std::string provisioner =
      storage_class ? api::string_at(*storage_class, "provisioner") : "kinda.dev/local-dir";
  json annotations = {{"pv.kubernetes.io/provisioned-by", provisioner}};
  json spec = {
      {"capacity", {{"storage", api::string_at(claim, "spec.resources.requests.storage", "0")}}},
      {"accessModes", list_at(claim, "spec.accessModes")},
      {"hostPath", {{"path", path}, {"type", "DirectoryOrCreate"}}},
      {"persistentVolumeReclaimPolicy",
       storage_class ? api::string_at(*storage_class, "reclaimPolicy", "Delete") : "Delete"},
      {"storageClassName", claim_storage_class(claim)},
      {"volumeMode", api::string_at(claim, "spec.volumeMode", "Filesystem")}};
  if (spec["accessModes"].empty()) spec["accessModes"] = json::array({"ReadWriteOnce"});
  Object volume = {
      {"apiVersion", "v1"},
      {"kind", "PersistentVolume"},
      {"metadata", {{"name", provisioned_volume_name(claim)}, {"annotations", annotations}}},
      {"spec", spec}};
  return bind_volume(std::move(volume), claim);
}

Object bind_claim(Object claim, const Object& volume, bool by_controller) {
  claim["spec"]["volumeName"] = api::name_of(volume);
  json& annotations = claim["metadata"]["annotations"];
  if (!annotations.is_object()) annotations = json::object();
  annotations["pv.kubernetes.io/bind-completed"] = "yes";
  if (by_controller) annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
  if (auto provisioner = annotation(volume, "pv.kubernetes.io/provisioned-by");
      !provisioner.empty()) {
    annotations["volume.beta.kubernetes.io/storage-provisioner"] = provisioner;
    annotations["volume.kubernetes.io/storage-provisioner"] = provisioner;
  }
  return claim;
}

Object bound_claim_status(const Object& volume) {
  json capacity = json::object();
  if (const json* c = api::find_path(volume, "spec.capacity"); c && c->is_object()) capacity = *c;
  return {{"phase", "Bound"},
          {"accessModes", list_at(volume, "spec.accessModes")},
          {"capacity", capacity}};
}

Object bind_volume(Object volume, const Object& claim) {
  volume["spec"]["claimRef"] = {{"apiVersion", "v1"},
                                {"kind", "PersistentVolumeClaim"},
                                {"namespace", api::namespace_of(claim)},
                                {"name", api::name_of(claim)},
                                {"uid", api::uid_of(claim)}};
  if (auto rv = api::resource_version_of(claim); !rv.empty())
    volume["spec"]["claimRef"]["resourceVersion"] = rv;
  return volume;
}

std::optional<std::string> matching_volume(const Object& claim,
                                           const std::vector<Object>& volumes) {
  const std::string wanted_name = api::string_at(claim, "spec.volumeName");
  const std::string cls = claim_storage_class(claim);
  const auto request = bytes_at(claim, "spec.resources.requests.storage").value_or(0);
  const json modes = list_at(claim, "spec.accessModes");
  const Object* best = nullptr;
  for (const auto& volume : volumes) {
    if (!wanted_name.empty() && api::name_of(volume) != wanted_name) continue;
    if (api::is_terminating(volume)) continue;
    const std::string phase = api::string_at(volume, "status.phase");
    if (phase == "Released" || phase == "Failed") continue;
    if (const json* ref = api::find_path(volume, "spec.claimRef"); ref && ref->is_object()) {
      // Pre-bound to a claim: only that claim (by name, and by uid when it says one).
      if (api::string_at(*ref, "name") != api::name_of(claim) ||
          api::string_at(*ref, "namespace") != api::namespace_of(claim))
        continue;
      if (auto uid = api::string_at(*ref, "uid"); !uid.empty() && uid != api::uid_of(claim))
        continue;
    }
    if (api::string_at(volume, "spec.storageClassName") != cls) continue;
    if (!has_modes(volume, modes)) continue;
    const auto capacity = bytes_at(volume, "spec.capacity.storage").value_or(0);
    if (capacity < request) continue;
    if (!best || capacity < bytes_at(*best, "spec.capacity.storage").value_or(0)) best = &volume;
  }
  if (!best) return std::nullopt;
  return api::name_of(*best);
}

Reclaim reclaim_of(const Object& volume, const std::string& volumes_root) {
  const std::string policy = api::string_at(volume, "spec.persistentVolumeReclaimPolicy", "Retain");
  if (policy == "Retain") return Reclaim::kRetain;
  const std::string path = api::string_at(volume, "spec.hostPath.path");
  if (!volumes_root.empty() && path.starts_with(volumes_root + "/") &&
      !annotation(volume, "pv.kubernetes.io/provisioned-by").empty() &&
      path.find("/../") == std::string::npos)
    return Reclaim::kDelete;
  return Reclaim::kFail;
}

std::optional<std::string> expansion_request(const Object& claim, const Object& volume) {
  auto wanted = bytes_at(claim, "spec.resources.requests.storage");
  auto has = bytes_at(volume, "spec.capacity.storage");
  if (!wanted || !has || *wanted <= *has) return std::nullopt;
  return api::string_at(claim, "spec.resources.requests.storage");
}

}  // namespace kinda::controller
