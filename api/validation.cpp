#include "api/validation.hpp"

#include <set>

#include "api/config_validation.hpp"
#include "api/daemonset_validation.hpp"
#include "api/decoding.hpp"
#include "api/endpoint_validation.hpp"
#include "api/job_validation.hpp"
#include "api/labels.hpp"
#include "api/lease_validation.hpp"
#include "api/names.hpp"
#include "api/pdb_validation.hpp"
#include "api/pod_validation.hpp"
#include "api/stored_kinds_validation.hpp"
#include "api/template_metadata_validation.hpp"
#include "api/validation_causes.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

bool is_non_negative_int(const json& v) {
  return v.is_number_integer() && v.get<long long>() >= 0;
}

// Kubernetes declares these counts int32: a larger number does not even decode there, and here
// it would let `start + replicas` overflow and a controller loop over billions of ordinals.
constexpr long long kMaxInt32 = 2147483647;

void check_non_negative(Causes& c, const json& parent, const char* key, const std::string& path) {
  if (!parent.is_object() || !parent.contains(key) || parent[key].is_null()) return;
  if (!is_non_negative_int(parent[key]))
    c.add(path + "." + key,
          "Invalid value: " + parent[key].dump() + ": must be greater than or equal to 0");
  else if (parent[key].get<long long>() > kMaxInt32)
    c.add(path + "." + key, "Invalid value: " + parent[key].dump() +
                                ": must be less than or equal to " + std::to_string(kMaxInt32));
}

void check_pvc_spec(Causes& c, const json& spec, const std::string& path) {
  if (!spec.is_object()) return c.required(path);
  if (!spec.contains("accessModes") || !spec["accessModes"].is_array() ||
      spec["accessModes"].empty())
    c.required(path + ".accessModes");
  const json& storage = field(field(field(spec, "resources"), "requests"), "storage");
  if (storage.is_null()) c.required(path + ".resources[storage]");
}

void check_metadata(Causes& c, const ResourceInfo& r, const json& object) {
  const json& meta = object.contains("metadata") ? object["metadata"] : json::object();
  if (!meta.is_object()) return c.add("metadata", "must be an object");
  std::string name = checked_string(c, meta, "name", "metadata.name");
  if (name.empty()) {
    c.required("metadata.name");
  } else {
    bool label_only =
        r.plural == "namespaces" || r.plural == "services" || r.plural == "statefulsets";
    auto problem = label_only ? check_dns1123_label(name) : check_dns1123_subdomain(name);
    if (problem) c.add("metadata.name", "Invalid value: \"" + name + "\": " + *problem);
    if (r.plural == "statefulsets" && name.size() > kMaxStatefulSetNameLength)
      c.add("metadata.name", "Invalid value: \"" + name + "\": must be no more than " +
                                 std::to_string(kMaxStatefulSetNameLength) +
                                 " characters, so that \"" + name +
                                 "-<ordinal>\" and its controller-revision-hash label fit in 63");
  }
  if (r.namespaced && meta.contains("namespace")) {
    auto ns = meta["namespace"].is_string() ? meta["namespace"].get<std::string>() : "";
    if (auto problem = check_dns1123_label(ns))
      c.add("metadata.namespace", "Invalid value: \"" + ns + "\": " + *problem);
  }
  if (meta.contains("labels")) check_label_map(c, meta["labels"], "metadata.labels");
}

void check_statefulset(Causes& c, const json& sts) {
  const json& spec = sts.value("spec", json());
  if (!spec.is_object()) return c.required("spec");
  check_non_negative(c, spec, "replicas", "spec");
  check_non_negative(c, spec, "minReadySeconds", "spec");
  if (spec.contains("ordinals")) check_non_negative(c, spec["ordinals"], "start", "spec.ordinals");
  auto policy = spec.value("podManagementPolicy", json("OrderedReady"));
  if (policy != "OrderedReady" && policy != "Parallel")
    c.unsupported("spec.podManagementPolicy", policy, "\"OrderedReady\", \"Parallel\"");
  const json& strategy = field(spec, "updateStrategy");
  if (!strategy.is_null() && !strategy.is_object())
    c.invalid("spec.updateStrategy", strategy, "must be an object");
  const json& type = field(strategy, "type").is_null() ? json("RollingUpdate") : strategy["type"];
  if (type != "RollingUpdate" && type != "OnDelete")
    c.unsupported("spec.updateStrategy.type", type, "\"OnDelete\", \"RollingUpdate\"");
  if (type == "OnDelete" && strategy.contains("rollingUpdate") && type == "OnDelete" &&
      !strategy["rollingUpdate"].is_null())
    c.add("spec.updateStrategy.rollingUpdate", "only allowed for updateStrategy 'RollingUpdate'",
          "FieldValueForbidden");
  if (strategy.contains("rollingUpdate") && strategy["rollingUpdate"].is_object())
    check_non_negative(c, strategy["rollingUpdate"], "partition",
                       "spec.updateStrategy.rollingUpdate");
  if (const json& retention = field(spec, "persistentVolumeClaimRetentionPolicy");
      !retention.is_null() && !retention.is_object()) {
    c.invalid("spec.persistentVolumeClaimRetentionPolicy", retention, "must be an object");
  } else if (!retention.is_null()) {
    for (const char* key : {"whenDeleted", "whenScaled"}) {
      auto value = field(retention, key).is_null() ? json("Retain") : retention[key];
      if (value != "Retain" && value != "Delete")
        c.unsupported(std::string("spec.persistentVolumeClaimRetentionPolicy.") + key, value,
                      "\"Retain\", \"Delete\"");
    }
  }
  if (spec.contains("serviceName") && spec["serviceName"].is_string() &&
      !spec["serviceName"].get<std::string>().empty())
    if (auto problem = check_dns1123_label(spec["serviceName"].get<std::string>()))
      c.add("spec.serviceName", "Invalid value: " + spec["serviceName"].dump() + ": " + *problem);

  std::set<std::string> claim_names;
  if (spec.contains("volumeClaimTemplates") && spec["volumeClaimTemplates"].is_array())
    for (size_t i = 0; i < spec["volumeClaimTemplates"].size(); ++i) {
      const json& claim = spec["volumeClaimTemplates"][i];
      std::string p = "spec.volumeClaimTemplates[" + std::to_string(i) + "]";
      std::string name = checked_string(c, field(claim, "metadata"), "name", p + ".metadata.name");
      if (name.empty())
        c.required(p + ".metadata.name");
      else if (auto problem = check_dns1123_label(name))
        c.add(p + ".metadata.name", "Invalid value: \"" + name + "\": " + *problem);
      else
        claim_names.insert(name);
      // The controller creates a claim from each template; one the API would refuse leaves
      // the set stuck before its first pod, so it is refused with the set instead.
      check_template_metadata(c, field(claim, "metadata"), p + ".metadata");
      check_pvc_spec(c, field(claim, "spec"), p + ".spec");
    }

  const json& tmpl = spec.value("template", json());
  if (!tmpl.is_object()) return c.required("spec.template");
  const json& tmeta = tmpl.value("metadata", json::object());
  check_template_metadata(c, tmeta, "spec.template.metadata");
  check_pod_spec(c, tmpl.value("spec", json()), "spec.template.spec", claim_names);
  if (const json& policy = field(field(tmpl, "spec"), "restartPolicy");
      !policy.is_null() && policy != "Always")
    c.unsupported("spec.template.spec.restartPolicy", policy, "\"Always\"");

  if (!spec.contains("selector") || spec["selector"].is_null()) {
    c.required("spec.selector");
    return;
  }
  auto selector = Selector::from_json(spec["selector"]);
  if (!selector) return c.add("spec.selector", selector.error().message);
  if (selector->empty())
    return c.add("spec.selector", "Invalid value: empty selector is invalid for statefulset");
  if (!selector->matches(labels_of(tmpl)))
    c.add("spec.template.metadata.labels", "Invalid value: " + field(tmeta, "labels").dump() +
                                               ": `selector` does not match template `labels`");
}

void check_service(Causes& c, const json& svc) {
  const json& spec = svc.value("spec", json());
  if (!spec.is_object()) return c.required("spec");
  auto type = spec.value("type", json("ClusterIP"));
  if (type != "ClusterIP" && type != "NodePort" && type != "LoadBalancer" && type != "ExternalName")
    c.unsupported("spec.type", type,
                  "\"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
  bool headless = spec.value("clusterIP", json("")) == "None";
  if (type == "ExternalName") {
    auto name = checked_string(c, spec, "externalName", "spec.externalName");
    if (name.empty())
      c.required("spec.externalName");
    else if (auto problem = check_dns1123_subdomain(name))
      c.add("spec.externalName", "Invalid value: \"" + name + "\": " + *problem);
  }
  const json& ports = spec.value("ports", json::array());
  if ((!ports.is_array() || ports.empty()) && !headless && type != "ExternalName")
    c.required("spec.ports");
  std::set<std::string> names;
  if (ports.is_array())
    for (size_t i = 0; i < ports.size(); ++i) {
      std::string p = "spec.ports[" + std::to_string(i) + "]";
      const json& port = ports[i];
      if (!port.is_object()) {
        c.add(p, "must be an object");
        continue;
      }
      const json& number = port.value("port", json());
      if (!number.is_number_integer() || number.get<long long>() < 1 ||
          number.get<long long>() > 65535)
        c.add(p + ".port",
              "Invalid value: " + number.dump() + ": must be between 1 and 65535, inclusive");
      auto proto = port.value("protocol", json("TCP"));
      if (proto != "TCP" && proto != "UDP" && proto != "SCTP")
        c.unsupported(p + ".protocol", proto, "\"SCTP\", \"TCP\", \"UDP\"");
      std::string name = checked_string(c, port, "name", p + ".name");
      if (ports.size() > 1 && name.empty()) c.required(p + ".name");
      if (!name.empty() && !names.insert(name).second)
        c.add(p + ".name", "Duplicate value: \"" + name + "\"", "FieldValueDuplicate");
    }
  if (spec.contains("selector")) check_label_map(c, spec["selector"], "spec.selector");
}

void check_pvc(Causes& c, const json& pvc) {
  check_pvc_spec(c, field(pvc, "spec"), "spec");
}

}  // namespace

std::vector<FieldCause> validate_object(const ResourceInfo& r, const json& object) {
  Causes c;
  if (!object.is_object()) {
    c.add("", "object must be a JSON object");
    return c.list;
  }
  check_metadata(c, r, object);
  if (r.plural == "pods")
    check_pod_spec(c, object.value("spec", json()), "spec", {});
  else if (r.plural == "statefulsets")
    check_statefulset(c, object);
  else if (r.plural == "services")
    check_service(c, object);
  else if (r.plural == "persistentvolumeclaims")
    check_pvc(c, object);
  else if (r.plural == "configmaps")
    check_configmap(c, object);
  else if (r.plural == "secrets")
    check_secret(c, object);
  else if (r.plural == "leases")
    check_lease(c, object);
  else if (r.plural == "deployments")
    check_deployment(c, object);
  else if (r.plural == "replicasets")
    check_replicaset(c, object);
  else if (r.plural == "endpoints")
    check_endpoints(c, object);
  else if (r.plural == "endpointslices")
    check_endpoint_slice(c, object);
  else if (r.plural == "roles" || r.plural == "clusterroles")
    check_role(c, object);
  else if (r.plural == "rolebindings" || r.plural == "clusterrolebindings")
    check_role_binding(c, object, r.plural == "clusterrolebindings");
  else if (r.plural == "networkpolicies")
    check_network_policy(c, object);
  else if (r.plural == "priorityclasses")
    check_priority_class(c, object);
  else if (r.plural == "storageclasses")
    check_storage_class(c, object);
  else if (r.plural == "persistentvolumes")
    check_persistent_volume(c, object);
  else if (r.plural == "daemonsets")
    check_daemonset(c, object);
  else if (r.plural == "poddisruptionbudgets")
    check_pod_disruption_budget(c, object);
  else if (r.plural == "jobs")
    check_job(c, object);
  else if (r.plural == "cronjobs")
    check_cronjob(c, object);
  return c.list;
}

std::vector<FieldCause> validate_update(const ResourceInfo& r, const json& old_object,
                                        const json& new_object) {
  auto causes = validate_object(r, new_object);
  if (r.plural == "configmaps" || r.plural == "secrets") {
    Causes c;
    if (r.plural == "configmaps")
      check_configmap_update(c, old_object, new_object);
    else
      check_secret_update(c, old_object, new_object);
    causes.insert(causes.end(), c.list.begin(), c.list.end());
  }
  if (r.plural == "daemonsets") {
    Causes c;
    check_daemonset_update(c, old_object, new_object);
    causes.insert(causes.end(), c.list.begin(), c.list.end());
  }
  if (r.plural == "jobs" || r.plural == "cronjobs") {
    Causes c;
    if (r.plural == "jobs")
      check_job_update(c, old_object, new_object);
    else
      check_cronjob_update(c, old_object, new_object);
    causes.insert(causes.end(), c.list.begin(), c.list.end());
  }
  if (r.plural == "deployments" || r.plural == "replicasets") {
    Causes c;
    check_apps_selector_update(c, old_object, new_object);
    causes.insert(causes.end(), c.list.begin(), c.list.end());
  }
  if (r.plural == "endpointslices") {
    Causes c;
    check_endpoint_slice_update(c, old_object, new_object);
    causes.insert(causes.end(), c.list.begin(), c.list.end());
  }
  {
    Causes c;
    if (r.plural == "rolebindings" || r.plural == "clusterrolebindings")
      check_role_binding_update(c, old_object, new_object);
    else if (r.plural == "priorityclasses")
      check_priority_class_update(c, old_object, new_object);
    else if (r.plural == "storageclasses")
      check_storage_class_update(c, old_object, new_object);
    else if (r.plural == "persistentvolumes")
      check_persistent_volume_update(c, old_object, new_object);
    causes.insert(causes.end(), c.list.begin(), c.list.end());
  }
  auto field = [](const json& o, const char* key) {
    return o.contains("spec") && o["spec"].is_object() && o["spec"].contains(key) ? o["spec"][key]
                                                                                  : json();
  };
  if (r.plural == "statefulsets") {
    for (const char* key :
         {"serviceName", "selector", "volumeClaimTemplates", "podManagementPolicy"}) {
      json before = field(old_object, key), after = field(new_object, key);
      if (std::string(key) == "volumeClaimTemplates") {
        // Compare only what the user wrote; status fields the server adds do not count.
        for (json* list : {&before, &after})
          if (list->is_array())
            for (auto& claim : *list)
              if (claim.is_object()) claim.erase("status");
      }
      if (before != after)
        causes.push_back(
            {std::string("spec.") + key,
             "Forbidden: updates to statefulset spec for fields other than 'replicas', "
             "'ordinals', 'template', 'updateStrategy', "
             "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
             "FieldValueForbidden"});
    }
  } else if (r.plural == "persistentvolumeclaims") {
    json before = old_object.value("spec", json::object()),
         after = new_object.value("spec", json::object());
    for (json* spec : {&before, &after})
      if (spec->is_object()) spec->erase("resources"), spec->erase("volumeName");
    if (before != after)
      causes.push_back({"spec",
                        "Forbidden: spec is immutable after creation except resources.requests",
                        "FieldValueForbidden"});
  } else if (r.plural == "pods") {
    json before = old_object.value("spec", json::object()),
         after = new_object.value("spec", json::object());
    // Only container images may change on a running pod, as in Kubernetes.
    for (json* spec : {&before, &after})
      if (spec->contains("containers") && (*spec)["containers"].is_array())
        for (auto& ct : (*spec)["containers"])
          if (ct.is_object()) ct.erase("image");
    if (before != after)
      causes.push_back({"spec",
                        "Forbidden: pod updates may not change fields other than "
                        "`spec.containers[*].image`, `spec.activeDeadlineSeconds`, "
                        "`spec.tolerations` or `spec.terminationGracePeriodSeconds`",
                        "FieldValueForbidden"});
  }
  return causes;
}

}  // namespace kinda::api
