#include "api/defaults.hpp"

#include "api/base64.hpp"
#include "api/daemonset_validation.hpp"
#include "api/deployment_validation.hpp"
#include "api/job_validation.hpp"
#include "api/stored_kinds_defaults.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

void set_default(json& object, const char* key, json value) {
  if (!object.contains(key) || object[key].is_null()) object[key] = std::move(value);
}

void apply_probe_defaults(json& probe) {
  if (!probe.is_object()) return;
  set_default(probe, "periodSeconds", 10);
  set_default(probe, "timeoutSeconds", 1);
  set_default(probe, "successThreshold", 1);
  set_default(probe, "failureThreshold", 3);
  set_default(probe, "initialDelaySeconds", 0);
}

void apply_container_defaults(json& container) {
  if (!container.is_object()) return;
  set_default(container, "terminationMessagePath", "/dev/termination-log");
  set_default(container, "imagePullPolicy", "IfNotPresent");
  if (container.contains("ports") && container["ports"].is_array())
    for (auto& port : container["ports"])
      if (port.is_object()) set_default(port, "protocol", "TCP");
  for (const char* probe : {"readinessProbe", "livenessProbe", "startupProbe"})
    if (container.contains(probe)) apply_probe_defaults(container[probe]);
}

void apply_service_defaults(json& svc) {
  auto& spec = svc["spec"];
  if (!spec.is_object()) return;
  set_default(spec, "type", "ClusterIP");
  set_default(spec, "sessionAffinity", "None");
  if (spec.contains("ports") && spec["ports"].is_array())
    for (auto& port : spec["ports"]) {
      if (!port.is_object()) continue;
      set_default(port, "protocol", "TCP");
      if (port.contains("port")) set_default(port, "targetPort", port["port"]);
    }
}

void apply_statefulset_defaults(json& sts) {
  auto& spec = sts["spec"];
  if (!spec.is_object()) return;
  set_default(spec, "replicas", 1);
  set_default(spec, "podManagementPolicy", "OrderedReady");
  set_default(spec, "revisionHistoryLimit", 10);
  set_default(spec, "minReadySeconds", 0);
  set_default(spec, "updateStrategy", json{{"type", "RollingUpdate"}});
  auto& strategy = spec["updateStrategy"];
  if (strategy.is_object()) {
    set_default(strategy, "type", "RollingUpdate");
    if (strategy["type"] == "RollingUpdate" &&
        (!strategy.contains("rollingUpdate") || strategy["rollingUpdate"].is_null() ||
         strategy["rollingUpdate"].is_object())) {  // another type is left for validation to name
      set_default(strategy, "rollingUpdate", json::object());
      set_default(strategy["rollingUpdate"], "partition", 0);
      set_default(strategy["rollingUpdate"], "maxUnavailable", 1);
    }
  }
  set_default(spec, "persistentVolumeClaimRetentionPolicy",
              json{{"whenDeleted", "Retain"}, {"whenScaled", "Retain"}});
  if (spec.contains("template") && spec["template"].is_object() &&
      spec["template"].contains("spec"))
    apply_pod_spec_defaults(spec["template"]["spec"]);
  if (spec.contains("volumeClaimTemplates") && spec["volumeClaimTemplates"].is_array())
    for (auto& claim : spec["volumeClaimTemplates"]) {
      if (!claim.is_object()) continue;
      set_default(claim, "apiVersion", "v1");
      set_default(claim, "kind", "PersistentVolumeClaim");
      if (claim.contains("spec") && claim["spec"].is_object())
        set_default(claim["spec"], "volumeMode", "Filesystem");
    }
}

}  // namespace

void merge_secret_string_data(json& secret) {
  if (!secret.contains("stringData")) return;
  json& string_data = secret["stringData"];
  if (!string_data.is_null()) {
    if (!string_data.is_object()) return;  // validation names it
    if (!secret.contains("data") || secret["data"].is_null()) secret["data"] = json::object();
    if (!secret["data"].is_object()) return;
    for (auto it = string_data.begin(); it != string_data.end();) {
      if (!it->is_string()) {
        ++it;
        continue;
      }
      secret["data"][it.key()] = base64_encode(it->get<std::string>());
      it = string_data.erase(it);
    }
    if (!string_data.empty()) return;
  }
  secret.erase("stringData");
}

void apply_pod_spec_defaults(json& spec) {
  if (!spec.is_object()) return;
  set_default(spec, "restartPolicy", "Always");
  set_default(spec, "terminationGracePeriodSeconds", 30);
  set_default(spec, "dnsPolicy", "ClusterFirst");
  set_default(spec, "schedulerName", "default-scheduler");
  for (const char* list : {"containers", "initContainers"})
    if (spec.contains(list) && spec[list].is_array())
      for (auto& c : spec[list]) apply_container_defaults(c);
}

void apply_defaults(const ResourceInfo& resource, json& object) {
  if (!object.is_object()) return;
  set_default(object, "metadata", json::object());
  if (apply_stored_kind_defaults(resource, object)) return;
  if (resource.plural == "pods") {
    set_default(object, "spec", json::object());
    apply_pod_spec_defaults(object["spec"]);
  } else if (resource.plural == "services") {
    set_default(object, "spec", json::object());
    apply_service_defaults(object);
  } else if (resource.plural == "statefulsets") {
    set_default(object, "spec", json::object());
    apply_statefulset_defaults(object);
  } else if (resource.plural == "deployments") {
    set_default(object, "spec", json::object());
    apply_deployment_defaults(object);
  } else if (resource.plural == "replicasets") {
    set_default(object, "spec", json::object());
    apply_replicaset_defaults(object);
  } else if (resource.plural == "persistentvolumeclaims") {
    set_default(object, "spec", json::object());
    set_default(object["spec"], "volumeMode", "Filesystem");
  } else if (resource.plural == "daemonsets") {
    set_default(object, "spec", json::object());
    apply_daemonset_defaults(object);
  } else if (resource.plural == "jobs") {
    apply_job_defaults(object);
  } else if (resource.plural == "cronjobs") {
    apply_cronjob_defaults(object);
  } else if (resource.plural == "secrets") {
    set_default(object, "type", "Opaque");
    merge_secret_string_data(object);
  }
}

}  // namespace kinda::api
