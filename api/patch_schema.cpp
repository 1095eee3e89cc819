#include "api/patch_schema.hpp"

namespace kinda::api {
namespace {

const ListStrategy kMergeScalars{true, ""};

ListStrategy merge_by(const char* key) {
  return {true, key};
}

// k8s.io/apimachinery ObjectMeta.
void add_object_meta(PatchSchema& schema, const std::string& prefix) {
  schema.add(prefix + "ownerReferences", merge_by("uid"));
  schema.add(prefix + "finalizers", kMergeScalars);
}

// k8s.io/api core/v1 PodSpec and Container; tolerations, readinessGates, command, args and
// envFrom carry no patch strategy there, so they stay atomic here too.
void add_pod_spec(PatchSchema& schema, const std::string& prefix) {
  for (const char* list : {"volumes", "containers", "initContainers", "ephemeralContainers",
                           "imagePullSecrets", "resourceClaims", "schedulingGates"})
    schema.add(prefix + list, merge_by("name"));
  schema.add(prefix + "hostAliases", merge_by("ip"));
  schema.add(prefix + "topologySpreadConstraints", merge_by("topologyKey"));
  for (const char* containers : {"containers.", "initContainers.", "ephemeralContainers."}) {
    std::string c = prefix + containers;
    schema.add(c + "ports", merge_by("containerPort"));
    schema.add(c + "env", merge_by("name"));
    schema.add(c + "volumeMounts", merge_by("mountPath"));
    schema.add(c + "volumeDevices", merge_by("devicePath"));
  }
}

PatchSchema build(std::string_view kind) {
  PatchSchema schema;
  add_object_meta(schema, "metadata.");
  if (kind == "Pod") {
    add_pod_spec(schema, "spec.");
    schema.add("status.conditions", merge_by("type"));
    schema.add("status.podIPs", merge_by("ip"));
    schema.add("status.hostIPs", merge_by("ip"));
    schema.add("status.resourceClaimStatuses", merge_by("name"));
  } else if (kind == "StatefulSet" || kind == "DaemonSet" || kind == "Deployment" ||
             kind == "ReplicaSet") {
    // volumeClaimTemplates has no patch strategy in apps/v1: a patch replaces the list.
    add_object_meta(schema, "spec.template.metadata.");
    add_pod_spec(schema, "spec.template.spec.");
    schema.add("status.conditions", merge_by("type"));
  } else if (kind == "Service") {
    schema.add("spec.ports", merge_by("port"));
    schema.add("status.conditions", merge_by("type"));
  } else if (kind == "PersistentVolumeClaim" || kind == "Namespace") {
    schema.add("status.conditions", merge_by("type"));
  } else if (kind == "Node") {
    schema.add("spec.podCIDRs", kMergeScalars);
    schema.add("status.conditions", merge_by("type"));
    schema.add("status.addresses", merge_by("type"));
  }
  return schema;
}

}  // namespace

const PatchSchema& PatchSchema::for_kind(std::string_view kind) {
  static const std::map<std::string, PatchSchema, std::less<>> schemas = [] {
    std::map<std::string, PatchSchema, std::less<>> all;
    for (const char* k : {"Pod", "StatefulSet", "Deployment", "ReplicaSet", "DaemonSet", "Service",
                          "PersistentVolumeClaim", "Namespace", "Node"})
      all.emplace(k, build(k));
    return all;
  }();
  static const PatchSchema metadata_only = build("");
  auto it = schemas.find(kind);
  return it == schemas.end() ? metadata_only : it->second;
}

ListStrategy PatchSchema::list_strategy(const std::string& path) const {
  auto it = lists_.find(path);
  return it == lists_.end() ? ListStrategy{} : it->second;
}

}  // namespace kinda::api
