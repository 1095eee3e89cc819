#include "api/stored_kinds_defaults.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

void default_to(json& object, const char* key, const json& value) {
  if (object.is_object() && (!object.contains(key) || object[key].is_null())) object[key] = value;
}

void default_port_protocols(json& rules) {
  if (!rules.is_array()) return;
  for (auto& rule : rules)
    if (rule.is_object() && rule.contains("ports") && rule["ports"].is_array())
      for (auto& port : rule["ports"]) default_to(port, "protocol", "TCP");
}

void default_network_policy(json& policy) {
  default_to(policy, "spec", json::object());
  json& spec = policy["spec"];
  if (!spec.is_object()) return;
  default_to(spec, "podSelector", json::object());
  if (spec.contains("ingress")) default_port_protocols(spec["ingress"]);
  if (spec.contains("egress")) default_port_protocols(spec["egress"]);
  // SetDefaults_NetworkPolicy: Ingress always, Egress when there are egress rules.
  if (!spec.contains("policyTypes") || !spec["policyTypes"].is_array() ||
      spec["policyTypes"].empty()) {
    json types = json::array({"Ingress"});
    if (spec.contains("egress") && spec["egress"].is_array() && !spec["egress"].empty())
      types.push_back("Egress");
    spec["policyTypes"] = types;
  }
}

}  // namespace

bool apply_stored_kind_defaults(const ResourceInfo& r, json& object) {
  if (r.plural == "networkpolicies") {
    default_network_policy(object);
  } else if (r.plural == "priorityclasses") {
    default_to(object, "preemptionPolicy", "PreemptLowerPriority");
  } else if (r.plural == "storageclasses") {
    default_to(object, "reclaimPolicy", "Delete");
    default_to(object, "volumeBindingMode", "Immediate");
  } else if (r.plural == "persistentvolumes") {
    default_to(object, "spec", json::object());
    default_to(object["spec"], "persistentVolumeReclaimPolicy", "Retain");
    default_to(object["spec"], "volumeMode", "Filesystem");
  } else {
    return false;
  }
  return true;
}

}  // namespace kinda::api
