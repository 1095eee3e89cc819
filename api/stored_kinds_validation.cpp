#include "api/stored_kinds_validation.hpp"

#include <set>

#include "api/names.hpp"
#include "api/quantity.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

const json& list_at(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json& value = field(object, key);
  return value.is_array() ? value : kEmpty;
}

bool empty_list(const json& object, const char* key) {
  return list_at(object, key).empty();
}

// Go's %#v of an rbac.RoleRef, as ValidateRoleBindingUpdate quotes it.
std::string role_ref_text(const json& ref) {
  return "rbac.RoleRef{APIGroup:" + json(string_field(ref, "apiGroup")).dump() +
         ", Kind:" + json(string_field(ref, "kind")).dump() +
         ", Name:" + json(string_field(ref, "name")).dump() + "}";
}

void check_policy_rule(Causes& c, const json& rule, bool namespaced, const std::string& path) {
  if (!rule.is_object()) return c.invalid(path, rule, "must be an object");
  if (empty_list(rule, "verbs"))
    c.required(path + ".verbs", "verbs must contain at least one value");
  if (!empty_list(rule, "nonResourceURLs")) {
    if (namespaced)
      c.invalid(path + ".nonResourceURLs", field(rule, "nonResourceURLs"),
                "namespaced rules cannot apply to non-resource URLs");
    if (!empty_list(rule, "apiGroups") || !empty_list(rule, "resources") ||
        !empty_list(rule, "resourceNames"))
      c.invalid(path + ".nonResourceURLs", field(rule, "nonResourceURLs"),
                "rules cannot apply to both regular resources and non-resource URLs");
    return;
  }
  if (empty_list(rule, "apiGroups"))
    c.required(path + ".apiGroups", "resource rules must supply at least one api group");
  if (empty_list(rule, "resources"))
    c.required(path + ".resources", "resource rules must supply at least one resource");
}

void check_subject(Causes& c, const json& subject, bool namespaced, const std::string& path) {
  if (!subject.is_object()) return c.invalid(path, subject, "must be an object");
  const std::string name = string_field(subject, "name");
  const std::string kind = string_field(subject, "kind");
  const std::string group = string_field(subject, "apiGroup");
  if (name.empty()) c.required(path + ".name");
  if (kind == "ServiceAccount") {
    if (!name.empty())
      if (auto problem = check_dns1123_subdomain(name)) c.invalid(path + ".name", name, *problem);
    if (!group.empty()) c.unsupported(path + ".apiGroup", group, "\"\"");
    if (!namespaced && string_field(subject, "namespace").empty()) c.required(path + ".namespace");
  } else if (kind == "User" || kind == "Group") {
    if (group != kRbacGroup)
      c.unsupported(path + ".apiGroup", group, std::string("\"") + kRbacGroup + "\"");
  } else {
    c.unsupported(path + ".kind", kind, "\"ServiceAccount\", \"User\", \"Group\"");
  }
}

void check_port(Causes& c, const json& port, const std::string& path) {
  if (!port.is_object()) return c.invalid(path, port, "must be an object");
  if (const json& protocol = field(port, "protocol"); protocol.is_string()) {
    const auto p = protocol.get<std::string>();
    if (p != "TCP" && p != "UDP" && p != "SCTP")
      c.unsupported(path + ".protocol", p, "\"TCP\", \"UDP\", \"SCTP\"");
  }
  const json& number = field(port, "port");
  if (number.is_number_integer()) {
    const long long n = number.get<long long>();
    if (n < 1 || n > 65535)
      c.invalid(path + ".port", number, "must be between 1 and 65535, inclusive");
    const json& end = field(port, "endPort");
    if (end.is_number_integer() && end.get<long long>() < n)
      c.invalid(path + ".endPort", end, "must be greater than or equal to `port`");
  } else if (number.is_string()) {
    if (field(port, "endPort").is_number_integer())
      c.invalid(path + ".endPort", field(port, "endPort"),
                "may not be specified when `port` is non-numeric");
  } else if (field(port, "endPort").is_number_integer()) {
    c.required(path + ".port", "must be specified when `endPort` is specified");
  }
}

void check_peer(Causes& c, const json& peer, const std::string& path) {
  if (!peer.is_object()) return c.invalid(path, peer, "must be an object");
  const bool selectors = peer.contains("podSelector") || peer.contains("namespaceSelector");
  const json& block = field(peer, "ipBlock");
  if (!selectors && block.is_null()) return c.required(path, "must specify a peer");
  if (selectors && !block.is_null())
    return c.forbidden(path, "may not specify both ipBlock and another peer");
  if (block.is_object() && string_field(block, "cidr").empty()) c.required(path + ".ipBlock.cidr");
}

void check_rules(Causes& c, const json& spec, const char* rules, const char* peers,
                 const std::string& path) {
  const json& list = list_at(spec, rules);
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string rule = index_path(path + "." + rules, i);
    const json& ports = list_at(list[i], "ports");
    for (size_t j = 0; j < ports.size(); ++j)
      check_port(c, ports[j], index_path(rule + ".ports", j));
    const json& from = list_at(list[i], peers);
    for (size_t j = 0; j < from.size(); ++j)
      check_peer(c, from[j], index_path(rule + "." + peers, j));
  }
}

std::string known_system_class_error(const std::string& name, const json& value,
                                     bool global_default) {
  long long expected = 0;
  if (name == "system-cluster-critical")
    expected = kSystemCriticalPriority;
  else if (name == "system-node-critical")
    expected = kSystemCriticalPriority + 1000;
  else
    return name + " is not a known system priority class";
  if (!value.is_number_integer() || value.get<long long>() != expected)
    return "value of " + name + " PriorityClass must be " + std::to_string(expected);
  if (global_default) return "globalDefault of " + name + " PriorityClass must be false";
  return "";
}

const char* const kPersistentVolumeSources[] = {"gcePersistentDisk",
                                                "awsElasticBlockStore",
                                                "hostPath",
                                                "glusterfs",
                                                "nfs",
                                                "rbd",
                                                "iscsi",
                                                "cinder",
                                                "cephfs",
                                                "fc",
                                                "flocker",
                                                "flexVolume",
                                                "azureFile",
                                                "vsphereVolume",
                                                "quobyte",
                                                "azureDisk",
                                                "photonPersistentDisk",
                                                "portworxVolume",
                                                "scaleIO",
                                                "local",
                                                "storageos",
                                                "csi"};

}  // namespace

void check_role(Causes& c, const json& role) {
  const bool namespaced = !string_field(field(role, "metadata"), "namespace").empty();
  const json& rules = list_at(role, "rules");
  for (size_t i = 0; i < rules.size(); ++i)
    check_policy_rule(c, rules[i], namespaced, index_path("rules", i));
}

void check_role_binding(Causes& c, const json& binding, bool cluster) {
  const json& ref = field(binding, "roleRef");
  const std::string group = string_field(ref, "apiGroup"), kind = string_field(ref, "kind"),
                    name = string_field(ref, "name");
  if (group != kRbacGroup)
    c.unsupported("roleRef.apiGroup", group, std::string("\"") + kRbacGroup + "\"");
  if (cluster ? kind != "ClusterRole" : kind != "Role" && kind != "ClusterRole")
    c.unsupported("roleRef.kind", kind, cluster ? "\"ClusterRole\"" : "\"Role\", \"ClusterRole\"");
  if (name.empty())
    c.required("roleRef.name");
  else if (name.find('/') != std::string::npos || name.find('%') != std::string::npos ||
           name == "." || name == "..")
    c.invalid("roleRef.name", name, "may not contain '/' or '%' and may not be '.' or '..'");
  const json& subjects = list_at(binding, "subjects");
  for (size_t i = 0; i < subjects.size(); ++i)
    check_subject(c, subjects[i], !cluster, index_path("subjects", i));
}

void check_role_binding_update(Causes& c, const json& old_binding, const json& binding) {
  if (field(old_binding, "roleRef") != field(binding, "roleRef"))
    c.add("roleRef",
          "Invalid value: " + role_ref_text(field(binding, "roleRef")) + ": cannot change roleRef");
}

void check_network_policy(Causes& c, const json& policy) {
  const json& spec = field(policy, "spec");
  if (!spec.is_object()) return;
  check_rules(c, spec, "ingress", "from", "spec");
  check_rules(c, spec, "egress", "to", "spec");
  const json& types = list_at(spec, "policyTypes");
  for (size_t i = 0; i < types.size(); ++i)
    if (types[i] != "Ingress" && types[i] != "Egress")
      c.unsupported(index_path("spec.policyTypes", i), types[i], "\"Ingress\", \"Egress\"");
  if (types.size() > 2)
    c.invalid("spec.policyTypes", types, "may not specify more than two policyTypes");
}

void check_priority_class(Causes& c, const json& pc) {
  const std::string name = string_field(field(pc, "metadata"), "name");
  const json& value = field(pc, "value");
  if (!value.is_null() && !value.is_number_integer())
    c.invalid("value", value, "must be an integer");
  else if (value.is_number_integer() &&
           (value.get<long long>() > 2147483647LL || value.get<long long>() < -2147483648LL))
    c.invalid("value", value, "must be a 32-bit integer");
  const bool global_default = field(pc, "globalDefault") == json(true);
  if (name.starts_with("system-")) {
    if (auto error = known_system_class_error(name, value, global_default); !error.empty())
      c.forbidden("metadata.name",
                  "priority class names with 'system-' prefix are reserved for system use only. "
                  "error: " +
                      error);
  } else if (value.is_number_integer() && value.get<long long>() > kHighestUserDefinablePriority) {
    c.forbidden("value", "maximum allowed value of a user defined priority is " +
                             std::to_string(kHighestUserDefinablePriority));
  }
  if (const json& policy = field(pc, "preemptionPolicy");
      !policy.is_null() && policy != "PreemptLowerPriority" && policy != "Never")
    c.unsupported("preemptionPolicy", policy, "\"Never\", \"PreemptLowerPriority\"");
}

void check_priority_class_update(Causes& c, const json& old_pc, const json& pc) {
  if (field(old_pc, "value") != field(pc, "value"))
    c.forbidden("value", "may not be changed in an update.");
  if (field(old_pc, "preemptionPolicy") != field(pc, "preemptionPolicy"))
    c.invalid("preemptionPolicy", field(pc, "preemptionPolicy"), "field is immutable");
}

void check_storage_class(Causes& c, const json& sc) {
  const json& provisioner = field(sc, "provisioner");
  if (!provisioner.is_string() || provisioner.get<std::string>().empty())
    c.required("provisioner");
  else if (provisioner.get<std::string>().size() > 253)
    c.add("provisioner", "Too long: may not be more than 253 bytes", "FieldValueTooLong");
  if (const json& policy = field(sc, "reclaimPolicy");
      !policy.is_null() && policy != "Delete" && policy != "Retain")
    c.unsupported("reclaimPolicy", policy, "\"Delete\", \"Retain\"");
  if (const json& mode = field(sc, "volumeBindingMode"); mode.is_null())
    c.required("volumeBindingMode");
  else if (mode != "Immediate" && mode != "WaitForFirstConsumer")
    c.unsupported("volumeBindingMode", mode, "\"Immediate\", \"WaitForFirstConsumer\"");
  if (const json& parameters = field(sc, "parameters"); parameters.is_object()) {
    if (parameters.size() > 512)
      c.add("parameters",
            "Too many: " + std::to_string(parameters.size()) + ": must have at most 512 items",
            "FieldValueTooMany");
    for (const auto& [key, v] : parameters.items())
      if (key.empty()) c.invalid("parameters", key, "field can not be empty.");
  }
}

void check_storage_class_update(Causes& c, const json& old_sc, const json& sc) {
  if (field(old_sc, "parameters") != field(sc, "parameters"))
    c.forbidden("parameters", "updates to parameters are forbidden.");
  if (field(old_sc, "provisioner") != field(sc, "provisioner"))
    c.forbidden("provisioner", "updates to provisioner are forbidden.");
  if (field(old_sc, "reclaimPolicy") != field(sc, "reclaimPolicy"))
    c.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
  if (field(old_sc, "volumeBindingMode") != field(sc, "volumeBindingMode"))
    c.invalid("volumeBindingMode", field(sc, "volumeBindingMode"), "field is immutable");
}

void check_persistent_volume(Causes& c, const json& pv) {
  const json& spec = field(pv, "spec");
  if (!spec.is_object()) return c.required("spec");
  const json& modes = list_at(spec, "accessModes");
  if (modes.empty()) c.required("spec.accessModes");
  for (const auto& mode : modes)
    if (mode != "ReadWriteOnce" && mode != "ReadOnlyMany" && mode != "ReadWriteMany" &&
        mode != "ReadWriteOncePod")
      c.unsupported("spec.accessModes", mode,
                    "\"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"");
  const json& capacity = field(spec, "capacity");
  if (!capacity.is_object() || capacity.empty()) {
    c.required("spec.capacity");
  } else if (!capacity.contains("storage") || capacity.size() > 1) {
    c.unsupported("spec.capacity", capacity, "\"storage\"");
  } else if (auto bytes = memory_bytes(capacity["storage"]); !bytes) {
    c.invalid("spec.capacity[storage]", capacity["storage"],
              "must be a quantity such as 1Gi or 500Mi");
  }
  int sources = 0;
  for (const char* source : kPersistentVolumeSources)
    if (spec.contains(source) && !spec[source].is_null()) ++sources;
  if (sources == 0)
    c.required("spec", "must specify a volume type");
  else if (sources > 1)
    c.forbidden("spec", "may not specify more than 1 volume type");
  for (const char* source : {"hostPath", "local"})
    if (const json& s = field(spec, source); s.is_object() && string_field(s, "path").empty())
      c.required(std::string("spec.") + source + ".path");
  if (const json& policy = field(spec, "persistentVolumeReclaimPolicy");
      !policy.is_null() && policy != "Delete" && policy != "Recycle" && policy != "Retain")
    c.unsupported("spec.persistentVolumeReclaimPolicy", policy,
                  "\"Delete\", \"Recycle\", \"Retain\"");
  if (const json& mode = field(spec, "volumeMode");
      !mode.is_null() && mode != "Block" && mode != "Filesystem")
    c.unsupported("spec.volumeMode", mode, "\"Block\", \"Filesystem\"");
  if (auto cls = string_field(spec, "storageClassName"); !cls.empty())
    if (auto problem = check_dns1123_subdomain(cls))
      c.invalid("spec.storageClassName", cls, *problem);
}

void check_persistent_volume_update(Causes& c, const json& old_pv, const json& pv) {
  const json& before = field(old_pv, "spec");
  const json& after = field(pv, "spec");
  for (const char* source : kPersistentVolumeSources)
    if (field(before, source) != field(after, source)) {
      c.forbidden("spec.persistentvolumesource",
                  "spec.persistentvolumesource is immutable after creation");
      break;
    }
  if (field(before, "volumeMode") != field(after, "volumeMode"))
    c.invalid("spec.volumeMode", field(after, "volumeMode"), "field is immutable");
}

}  // namespace kinda::api
