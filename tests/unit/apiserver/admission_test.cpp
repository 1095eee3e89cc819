// The admission plugins of the stored kinds: ServiceAccount defaulting, Priority, the default
// StorageClass and claim resizing, and the Warnings of kinds kinda stores without enforcing.
#include <catch2/catch.hpp>

#include "api/resources.hpp"
#include "apiserver/registry/admission.hpp"
#include "apiserver/registry/builtin_objects.hpp"

namespace {

using namespace kinda::apiserver;
using nlohmann::json;

json admission_class(const char* name, long long value, bool global_default = false) {
  return {{"metadata", {{"name", name}}}, {"value", value}, {"globalDefault", global_default}};
}

json storage_class(const char* name, const char* created, bool is_default, bool expand) {
  json sc = {{"metadata", {{"name", name}, {"creationTimestamp", created}}},
             {"allowVolumeExpansion", expand}};
  if (is_default)
    sc["metadata"]["annotations"] = {{"storageclass.kubernetes.io/is-default-class", "true"}};
  return sc;
}

json sized_claim(const char* size, const char* cls, const char* phase = "Bound") {
  return {{"metadata", {{"name", "data"}, {"namespace", "default"}}},
          {"spec", {{"storageClassName", cls}, {"resources", {{"requests", {{"storage", size}}}}}}},
          {"status", {{"phase", phase}, {"capacity", {{"storage", size}}}}}};
}

}  // namespace

TEST_CASE("pods get the default service account unless they name one") {
  json pod = {{"spec", json::object()}};
  CHECK(default_service_account(pod) == "default");
  CHECK(pod["spec"]["serviceAccountName"] == "default");
  CHECK(pod["spec"]["serviceAccount"] == "default");
  json named_pod = {{"spec", {{"serviceAccount", "builder"}}}};
  CHECK(default_service_account(named_pod) == "builder");
  CHECK(named_pod["spec"]["serviceAccountName"] == "builder");
}

TEST_CASE("Priority: a class resolves to spec.priority; unknown classes and mismatches refused") {
  std::vector<json> classes = {admission_class("high", 1000), admission_class("low", 10, true)};
  json pod = {{"spec", {{"priorityClassName", "high"}}}};
  CHECK_FALSE(resolve_priority(pod, classes));
  CHECK(pod["spec"]["priority"] == 1000);
  CHECK(pod["spec"]["preemptionPolicy"] == "PreemptLowerPriority");

  json plain = {{"spec", json::object()}};
  CHECK_FALSE(resolve_priority(plain, classes));
  CHECK(plain["spec"]["priorityClassName"] == "low");
  CHECK(plain["spec"]["priority"] == 10);

  json none = {{"spec", json::object()}};
  CHECK_FALSE(resolve_priority(none, {}));
  CHECK(none["spec"]["priority"] == 0);
  CHECK_FALSE(none["spec"].contains("priorityClassName"));

  json unknown = {{"spec", {{"priorityClassName", "nope"}}}};
  CHECK(resolve_priority(unknown, classes) == "no PriorityClass with name nope was found");
  json forced = {{"spec", {{"priorityClassName", "high"}, {"priority", 5}}}};
  CHECK(resolve_priority(forced, classes) ==
        "the integer value of priority (5) must not be provided in pod spec; priority admission "
        "controller computed 1000 from the given PriorityClass name");

  CHECK(check_global_default(admission_class("other", 1, true), nullptr, classes) ==
        "PriorityClass low is already marked as default. Only one default can exist");
  CHECK_FALSE(check_global_default(admission_class("low", 11, true), &classes[1], classes));
}

TEST_CASE("claims without a class get the newest default class; \"\" stays no class") {
  std::vector<json> classes = {storage_class("standard", "2024-01-01T00:00:00Z", true, false),
                               storage_class("newer", "2024-02-01T00:00:00Z", true, false),
                               storage_class("plain", "2024-03-01T00:00:00Z", false, false)};
  CHECK(default_storage_class(classes) == "newer");
  json claim = {{"spec", json::object()}};
  admit_claim_class(claim, classes);
  CHECK(claim["spec"]["storageClassName"] == "newer");
  json none = {{"spec", {{"storageClassName", ""}}}};
  admit_claim_class(none, classes);
  CHECK(none["spec"]["storageClassName"] == "");
}

TEST_CASE("claims grow only in classes that allow expansion, and never below their capacity") {
  std::vector<json> classes = {storage_class("fixed", "2024-01-01T00:00:00Z", false, false),
                               storage_class("elastic", "2024-01-01T00:00:00Z", false, true)};
  auto refused =
      check_claim_resize(sized_claim("1Gi", "fixed"), sized_claim("2Gi", "fixed"), classes);
  REQUIRE(refused);
  CHECK(refused->code == 403);
  CHECK(refused->message ==
        "persistentvolumeclaims \"data\" is forbidden: only dynamically provisioned pvc can be "
        "resized and the storageclass that provisions the pvc must support resize");
  CHECK_FALSE(
      check_claim_resize(sized_claim("1Gi", "elastic"), sized_claim("2Gi", "elastic"), classes));
  auto shrunk =
      check_claim_resize(sized_claim("2Gi", "elastic"), sized_claim("1Gi", "elastic"), classes);
  REQUIRE(shrunk);
  CHECK(shrunk->code == 422);
  REQUIRE(shrunk->causes.size() == 1);
  CHECK(shrunk->causes[0].field == "spec.resources.requests.storage");
  CHECK(shrunk->causes[0].message == "Forbidden: field can not be less than status.capacity");
  auto pending = check_claim_resize(sized_claim("1Gi", "elastic", "Pending"),
                                    sized_claim("2Gi", "elastic"), classes);
  REQUIRE(pending);
  CHECK(pending->message ==
        "persistentvolumeclaims \"data\" is forbidden: Only bound persistent volume claims can be "
        "expanded");
}

TEST_CASE("RBAC kinds and NetworkPolicies are written with a Warning that kinda ignores them") {
  using kinda::api::find_resource;
  CHECK(unenforced_kind_warning(*find_resource("rolebindings"))
            .starts_with("kinda stores RBAC objects but does not enforce them"));
  CHECK(unenforced_kind_warning(*find_resource("clusterroles"))
            .starts_with("kinda stores RBAC objects but does not enforce them"));
  CHECK(unenforced_kind_warning(*find_resource("networkpolicies"))
            .starts_with("kinda stores NetworkPolicies but does not enforce them"));
  CHECK(unenforced_kind_warning(*find_resource("pods")).empty());
}

TEST_CASE("the built-in objects are the cluster roles, priority classes and kind's class") {
  std::vector<std::string> names;
  for (const auto& [plural, object] : builtin_objects())
    names.push_back(std::string(plural) + "/" + object["metadata"]["name"].get<std::string>());
  CHECK(names == std::vector<std::string>{
                     "clusterroles/cluster-admin", "clusterroles/admin", "clusterroles/edit",
                     "clusterroles/view", "clusterrolebindings/cluster-admin",
                     "priorityclasses/system-cluster-critical",
                     "priorityclasses/system-node-critical", "storageclasses/standard"});
}
