// Validation and defaults of the stored kinds: RBAC, NetworkPolicy, PriorityClass, StorageClass
// and PersistentVolume, with the API server's field paths and messages.
#include <catch2/catch.hpp>

#include <string>

#include "api/defaults.hpp"
#include "api/kind_types.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

namespace {

using namespace kinda::api;
using nlohmann::json;

json stored_defaulted(const char* plural, json object) {
  apply_defaults(*find_resource(plural), object);
  return object;
}

std::vector<std::string> stored_causes(const char* plural, json object) {
  std::vector<std::string> out;
  for (const auto& c : validate_object(*find_resource(plural), stored_defaulted(plural, object)))
    out.push_back(c.field + ": " + c.message);
  return out;
}

std::vector<std::string> stored_update_causes(const char* plural, json before, json after) {
  std::vector<std::string> out;
  for (const auto& c : validate_update(*find_resource(plural), stored_defaulted(plural, before),
                                       stored_defaulted(plural, after)))
    out.push_back(c.field + ": " + c.message);
  return out;
}

json named(const char* name, json fields, const char* ns = nullptr) {
  json meta = {{"name", name}};
  if (ns) meta["namespace"] = ns;
  fields["metadata"] = meta;
  return fields;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("RBAC rules and bindings are checked as ValidateRole and ValidateRoleBinding do") {
  CHECK(stored_causes(
            "roles",
            named("r",
                  {{"rules", {{{"apiGroups", {""}}, {"resources", {"pods"}}, {"verbs", {"get"}}}}}},
                  "default"))
            .empty());
  CHECK(stored_causes("roles", named("r", {{"rules", {{{"resources", {"pods"}}}}}}, "default")) ==
        Lines{"rules[0].verbs: Required value: verbs must contain at least one value",
              "rules[0].apiGroups: Required value: resource rules must supply at least one api "
              "group"});
  CHECK(stored_causes(
            "roles",
            named("r", {{"rules", {{{"nonResourceURLs", {"/healthz"}}, {"verbs", {"get"}}}}}},
                  "default")) ==
        Lines{"rules[0].nonResourceURLs: Invalid value: [\"/healthz\"]: namespaced rules cannot "
              "apply to non-resource URLs"});
  json ref = {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", "reader"}};
  json binding =
      named("b", {{"roleRef", ref}, {"subjects", {{{"kind", "Robot"}, {"name", "x"}}}}}, "default");
  CHECK(stored_causes("rolebindings", binding) ==
        Lines{"subjects[0].kind: Unsupported value: \"Robot\": supported values: "
              "\"ServiceAccount\", \"User\", \"Group\""});
  CHECK(stored_causes("clusterrolebindings",
                      named("b", {{"roleRef", ref},
                                  {"subjects", {{{"kind", "ServiceAccount"}, {"name", "x"}}}}})) ==
        Lines{"roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
              "subjects[0].namespace: Required value"});
  json other = binding;
  other["roleRef"]["name"] = "writer";
  other["subjects"] = json::array();
  binding["subjects"] = json::array();
  CHECK(stored_update_causes("rolebindings", binding, other) ==
        Lines{"roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
              "Kind:\"Role\", Name:\"writer\"}: cannot change roleRef"});
}

TEST_CASE("a NetworkPolicy gets its policyTypes and protocols defaulted and its ports checked") {
  json policy = named("p", {{"spec", {{"egress", {{{"ports", {{{"port", 80}}}}}}}}}}, "default");
  json defaulted = stored_defaulted("networkpolicies", policy);
  CHECK(defaulted["spec"]["policyTypes"] == json({"Ingress", "Egress"}));
  CHECK(defaulted["spec"]["podSelector"] == json::object());
  CHECK(defaulted["spec"]["egress"][0]["ports"][0]["protocol"] == "TCP");
  policy["spec"]["egress"][0]["ports"][0] = {{"port", 70000}, {"protocol", "ICMP"}};
  policy["spec"]["policyTypes"] = {"Sideways"};
  CHECK(stored_causes("networkpolicies", policy) ==
        Lines{"spec.egress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: "
              "\"TCP\", \"UDP\", \"SCTP\"",
              "spec.egress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, "
              "inclusive",
              "spec.policyTypes[0]: Unsupported value: \"Sideways\": supported values: "
              "\"Ingress\", \"Egress\""});
}

TEST_CASE("PriorityClass values: user classes at most 1e9, system- names reserved, immutable") {
  CHECK(stored_causes("priorityclasses", named("high", {{"value", 1000}})).empty());
  CHECK(stored_defaulted("priorityclasses", named("high", {{"value", 1}}))["preemptionPolicy"] ==
        "PreemptLowerPriority");
  CHECK(stored_causes("priorityclasses", named("huge", {{"value", 1000000001}})) ==
        Lines{"value: Forbidden: maximum allowed value of a user defined priority is 1000000000"});
  CHECK(stored_causes("priorityclasses", named("system-mine", {{"value", 1}})) ==
        Lines{"metadata.name: Forbidden: priority class names with 'system-' prefix are reserved "
              "for system use only. error: system-mine is not a known system priority class"});
  CHECK(stored_causes("priorityclasses", named("system-node-critical", {{"value", 2000001000}}))
            .empty());
  CHECK(stored_update_causes("priorityclasses", named("high", {{"value", 1}}),
                             named("high", {{"value", 2}})) ==
        Lines{"value: Forbidden: may not be changed in an update."});
}

TEST_CASE("StorageClass: provisioner required, policies checked, most fields immutable") {
  json sc = named("fast", {{"provisioner", "rancher.io/local-path"}});
  json defaulted = stored_defaulted("storageclasses", sc);
  CHECK(defaulted["reclaimPolicy"] == "Delete");
  CHECK(defaulted["volumeBindingMode"] == "Immediate");
  CHECK(stored_causes("storageclasses", sc).empty());
  CHECK(stored_causes("storageclasses", named("x", {{"reclaimPolicy", "Recycle"}})) ==
        Lines{"provisioner: Required value",
              "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", "
              "\"Retain\""});
  json grown = sc;
  grown["allowVolumeExpansion"] = true;
  CHECK(stored_update_causes("storageclasses", sc, grown).empty());
  grown["reclaimPolicy"] = "Retain";
  CHECK(stored_update_causes("storageclasses", sc, grown) ==
        Lines{"reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden."});
}

TEST_CASE("PersistentVolume: capacity, access modes and exactly one source") {
  json pv = named("mine", {{"spec",
                            {{"capacity", {{"storage", "1Gi"}}},
                             {"accessModes", {"ReadWriteOnce"}},
                             {"hostPath", {{"path", "/srv/data"}}}}}});
  CHECK(stored_causes("persistentvolumes", pv).empty());
  json defaulted = stored_defaulted("persistentvolumes", pv);
  CHECK(defaulted["spec"]["persistentVolumeReclaimPolicy"] == "Retain");
  CHECK(defaulted["spec"]["volumeMode"] == "Filesystem");
  CHECK(stored_causes("persistentvolumes", named("bad", {{"spec", json::object()}})) ==
        Lines{"spec.accessModes: Required value", "spec.capacity: Required value",
              "spec: Required value: must specify a volume type"});
  json moved = pv;
  moved["spec"]["hostPath"]["path"] = "/elsewhere";
  CHECK(stored_update_causes("persistentvolumes", pv, moved) ==
        Lines{"spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable "
              "after creation"});
}

TEST_CASE("the stored kinds are in the resource table with kubectl's short names") {
  CHECK(find_resource("sa")->kind == "ServiceAccount");
  CHECK(find_resource("netpol")->group == "networking.k8s.io");
  CHECK(find_resource("pc")->kind == "PriorityClass");
  CHECK_FALSE(find_resource("pc")->namespaced);
  CHECK(find_resource("sc")->kind == "StorageClass");
  CHECK(find_resource("pv")->kind == "PersistentVolume");
  CHECK_FALSE(find_resource("clusterrolebindings")->namespaced);
  CHECK(find_resource("rolebindings")->namespaced);
}

TEST_CASE("the stored kinds have field tables (strict validation, OpenAPI, kubectl explain)") {
  for (const char* kind :
       {"ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
        "NetworkPolicy", "PriorityClass", "StorageClass", "PersistentVolume"})
    CHECK(KindTypes::get().for_kind(kind) != nullptr);
  const auto* spec = KindTypes::get().find("PersistentVolumeSpec");
  REQUIRE(spec);
  CHECK(spec->field("claimRef")->element == "ObjectReference");
  CHECK(spec->field("hostPath")->element == "HostPathVolumeSource");
}
