// The field machinery behind fieldValidation and server-side apply: the kinds' field table,
// unknown fields, managedFields sets and apply's merge, removal and conflicts.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "api/field_set.hpp"
#include "api/field_validation.hpp"
#include "api/kind_types.hpp"
#include "api/managed_fields.hpp"
#include "api/manifest.hpp"
#include "api/patch_schema.hpp"
#include "api/server_side_apply.hpp"

using namespace kinda::api;
using nlohmann::json;

namespace {

json web_set(int replicas = 2) {
  return json::parse(R"({
    "apiVersion": "apps/v1", "kind": "StatefulSet",
    "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
    "spec": {
      "replicas": )" +
                     std::to_string(replicas) + R"(,
      "serviceName": "web",
      "selector": {"matchLabels": {"app": "web"}},
      "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {
          "containers": [{"name": "web", "image": "nginx",
                          "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                          "ports": [{"containerPort": 80}]}]
        }
      }
    }
  })");
}

const StructType* sts() {
  return KindTypes::get().for_kind("StatefulSet");
}

ManagerEntry manager(const std::string& name, const std::string& operation = "Apply") {
  return ManagerEntry{name, operation, "", "apps/v1", "2025-01-01T00:00:00Z"};
}

json env_of(const json& set) {
  return set["spec"]["template"]["spec"]["containers"][0]["env"];
}

// Every path below a kind's root at which a list that merges lives, with its strategy; lists
// that merge atomically are not descended into (a patch replaces them whole).
void merge_lists(const StructType& type, const std::string& prefix,
                 std::map<std::string, ListStrategy>& out) {
  for (const auto& [name, field] : type.fields) {
    std::string path = prefix + name;
    if (path == "status") continue;
    if (field.shape == FieldType::Shape::kList) {
      out[path] = ListStrategy{field.merge != ListMerge::kAtomic, field.merge_key};
      if (field.merge == ListMerge::kAtomic) continue;
    }
    if (const StructType* element = KindTypes::get().find(field.element))
      merge_lists(*element, path + ".", out);
  }
}

}  // namespace

TEST_CASE("every struct the kind table names is in the table, and each kind has one") {
  for (const char* kind : {"Pod",           "StatefulSet",
                           "Service",       "PersistentVolumeClaim",
                           "ConfigMap",     "Secret",
                           "Namespace",     "Node",
                           "Event",         "ControllerRevision",
                           "Lease",         "Endpoints",
                           "EndpointSlice", "ServiceAccount",
                           "Role",          "RoleBinding",
                           "ClusterRole",   "ClusterRoleBinding",
                           "NetworkPolicy", "PriorityClass",
                           "StorageClass",  "PersistentVolume",
                           "Deployment",    "ReplicaSet",
                           "DaemonSet",     "PodDisruptionBudget",
                           "Job",           "CronJob"})
    CHECK(KindTypes::get().for_kind(kind) != nullptr);
  CHECK(KindTypes::get().for_kind("DaemonSetOfNowhere") == nullptr);
}

TEST_CASE("the kind table's merging lists agree with the strategic merge patch schema") {
  for (const char* kind : {"Pod", "StatefulSet", "Deployment", "ReplicaSet", "DaemonSet", "Service",
                           "PersistentVolumeClaim", "Node"}) {
    std::map<std::string, ListStrategy> lists;
    merge_lists(*KindTypes::get().for_kind(kind), "", lists);
    const PatchSchema& schema = PatchSchema::for_kind(kind);
    for (const auto& [path, strategy] : lists) {
      INFO(kind << " " << path);
      CHECK(schema.list_strategy(path).merge == strategy.merge);
      CHECK(schema.list_strategy(path).merge_key == strategy.merge_key);
    }
  }
}

TEST_CASE("Strict refuses unknown fields named by their path, as the API server does") {
  json set = web_set();
  set["spec"]["replicaz"] = 3;
  set["spec"]["template"]["spec"]["containers"][0]["imagee"] = "x";
  std::vector<std::string> warnings;
  auto st = enforce_field_validation(FieldValidation::kStrict, "StatefulSet", set, warnings);
  REQUIRE_FALSE(st);
  CHECK(st.error().code == 400);
  CHECK(st.error().message ==
        "StatefulSet in version \"v1\" cannot be handled as a StatefulSet: strict decoding "
        "error: unknown field \"spec.replicaz\", unknown field "
        "\"spec.template.spec.containers[0].imagee\"");
  CHECK(set["spec"].contains("replicaz"));  // Strict changes nothing
}

TEST_CASE("Warn drops unknown fields with one warning each; Ignore drops them silently") {
  json set = web_set();
  set["spec"]["replicaz"] = 3;
  set["metadata"]["labelz"] = json::object();
  std::vector<std::string> warnings;
  REQUIRE(enforce_field_validation(FieldValidation::kWarn, "StatefulSet", set, warnings));
  CHECK(warnings == std::vector<std::string>{"unknown field \"metadata.labelz\"",
                                             "unknown field \"spec.replicaz\""});
  CHECK_FALSE(set["spec"].contains("replicaz"));
  CHECK(set == web_set());

  json again = web_set();
  again["spec"]["replicaz"] = 3;
  warnings.clear();
  REQUIRE(enforce_field_validation(FieldValidation::kIgnore, "StatefulSet", again, warnings));
  CHECK(warnings.empty());
  CHECK(again == web_set());
}

TEST_CASE("opaque subtrees, statuses and maps of any key are never unknown fields") {
  json set = web_set();
  set["status"] = {{"anything", {{"goes", 1}}}};
  set["spec"]["template"]["spec"]["affinity"] = {{"nodeAffinity", {{"whatever", true}}}};
  set["spec"]["template"]["metadata"]["annotations"] = {{"a.b/c", "d"}};
  CHECK(drop_unknown_fields("StatefulSet", set).empty());
  CHECK(field_validation_of("").value() == FieldValidation::kWarn);
  CHECK(field_validation_of("Strict").value() == FieldValidation::kStrict);
  CHECK_FALSE(field_validation_of("strict"));
}

TEST_CASE("every example manifest has only fields Kubernetes declares") {
  for (const auto& entry : std::filesystem::directory_iterator(KINDA_EXAMPLES_DIR)) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto docs = parse_manifests(text.str(), entry.path().string());
    REQUIRE(docs);
    for (auto doc : *docs) {
      INFO(entry.path() << " " << doc.value("kind", ""));
      CHECK(drop_unknown_fields(doc.value("kind", ""), doc).empty());
    }
  }
}

TEST_CASE("field sets use FieldsV1's keys: fields, keyed list items, set values") {
  json pod_meta = {{"metadata", {{"labels", {{"app", "web"}}}, {"finalizers", {"x"}}}},
                   {"spec",
                    {{"template",
                      {{"spec",
                        {{"containers", {{{"name", "web"}, {"image", "nginx"}}}},
                         {"volumes", json::array()}}}}}}}};
  FieldSet set = FieldSet::of_object(sts(), pod_meta);
  CHECK(set.to_json() == json::parse(R"({
    "f:metadata": {"f:labels": {"f:app": {}}, "f:finalizers": {"v:\"x\"": {}}},
    "f:spec": {"f:template": {"f:spec": {
      "f:containers": {"k:{\"name\":\"web\"}": {".": {}, "f:name": {}, "f:image": {}}},
      "f:volumes": {}}}}
  })"));
  CHECK(FieldSet::from_json(set.to_json()).to_json() == set.to_json());
  auto paths = set.paths();
  CHECK(std::find(paths.begin(), paths.end(),
                  ".spec.template.spec.containers[name=\"web\"].image") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), ".metadata.finalizers[=\"x\"]") != paths.end());
}

TEST_CASE("set operations and removal work path by path") {
  FieldSet a = FieldSet::of_object(sts(), web_set());
  json fewer = web_set();
  fewer["spec"]["template"]["spec"]["containers"][0]["env"].erase(1);
  FieldSet b = FieldSet::of_object(sts(), fewer);
  FieldSet gone = a.minus(b);
  CHECK(gone.paths() == std::vector<std::string>{
                            ".spec.template.spec.containers[name=\"web\"].env[name=\"B\"]",
                            ".spec.template.spec.containers[name=\"web\"].env[name=\"B\"].name",
                            ".spec.template.spec.containers[name=\"web\"].env[name=\"B\"].value"});
  json object = web_set();
  gone.remove_from(object);
  CHECK(object == fewer);
  CHECK(a.intersect(b).to_json() == b.to_json());
}

TEST_CASE("an update takes the fields it changed from the other managers") {
  json created = web_set();
  record_update(sts(), json(), created, manager("creator", "Update"));
  REQUIRE(managed_fields_of(created).size() == 1);
  FieldSet owned = owned_by(created, manager("creator", "Update"));
  auto paths = owned.paths();
  CHECK(std::find(paths.begin(), paths.end(), ".spec.replicas") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), ".metadata.name") == paths.end());

  json scaled = created;
  scaled["spec"]["replicas"] = 5;
  record_update(sts(), created, scaled, manager("scaler", "Update"));
  REQUIRE(managed_fields_of(scaled).size() == 2);
  CHECK(owned_by(scaled, manager("scaler", "Update")).paths() ==
        std::vector<std::string>{".spec.replicas"});
  auto creator = owned_by(scaled, manager("creator", "Update")).paths();
  CHECK(std::find(creator.begin(), creator.end(), ".spec.replicas") == creator.end());

  json same = scaled;
  record_update(sts(), scaled, same, manager("third", "Update"));
  CHECK(same == scaled);  // nothing changed: nobody new owns anything
}

TEST_CASE("apply creates, then merges and removes only what the manager stopped applying") {
  auto first = server_side_apply(sts(), json(), web_set(), {manager("kubectl"), false});
  REQUIRE(first);
  CHECK((*first)["spec"]["replicas"] == 2);
  REQUIRE(managed_fields_of(*first).size() == 1);
  CHECK(managed_fields_of(*first)[0]["operation"] == "Apply");

  // Someone else adds a label and an env var; the applier's next config drops env B.
  json live = *first;
  json edited = live;
  edited["metadata"]["labels"]["team"] = "a";
  edited["spec"]["template"]["spec"]["containers"][0]["env"].push_back(
      {{"name", "C"}, {"value", "3"}});
  record_update(sts(), live, edited, manager("editor", "Update"));

  json config = web_set(3);
  config["spec"]["template"]["spec"]["containers"][0]["env"].erase(1);
  auto second = server_side_apply(sts(), edited, config, {manager("kubectl"), false});
  REQUIRE(second);
  CHECK((*second)["spec"]["replicas"] == 3);
  CHECK((*second)["metadata"]["labels"]["team"] == "a");
  CHECK(env_of(*second) == json::parse(R"([{"name":"A","value":"1"},{"name":"C","value":"3"}])"));
}

TEST_CASE("applying a field another manager set to another value is a conflict unless forced") {
  json live = web_set();
  record_update(sts(), json(), live, manager("kubectl-client-side-apply", "Update"));
  // The same values: both own them, no conflict.
  auto shared = server_side_apply(sts(), live, web_set(), {manager("kubectl"), false});
  REQUIRE(shared);
  CHECK(managed_fields_of(*shared).size() == 2);

  auto refused = server_side_apply(sts(), live, web_set(4), {manager("kubectl"), false});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == 409);
  CHECK(refused.error().message ==
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
        "apps/v1: .spec.replicas");

  auto forced = server_side_apply(sts(), live, web_set(4), {manager("kubectl"), true});
  REQUIRE(forced);
  CHECK((*forced)["spec"]["replicas"] == 4);
  auto csa = owned_by(*forced, manager("kubectl-client-side-apply", "Update")).paths();
  CHECK(std::find(csa.begin(), csa.end(), ".spec.replicas") == csa.end());
}

TEST_CASE("an applied configuration may not set managedFields") {
  json config = web_set();
  config["metadata"]["managedFields"] = json::array();
  auto result = server_side_apply(sts(), json(), config, {manager("kubectl"), false});
  REQUIRE_FALSE(result);
  CHECK(result.error().code == 400);
}

TEST_CASE("kubectl's first server-side apply may take what its client-side applies set") {
  json live = web_set();
  live["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      web_set().dump();
  record_update(sts(), json(), live, manager("kubectl-client-side-apply", "Update"));
  auto upgraded = server_side_apply(sts(), live, web_set(4), {manager("kubectl"), false});
  REQUIRE(upgraded);
  CHECK((*upgraded)["spec"]["replicas"] == 4);
  // Another manager name gets the conflict, as does kubectl for fields the annotation lacks.
  CHECK_FALSE(server_side_apply(sts(), live, web_set(4), {manager("helm"), false}));
  json edited = live;
  edited["spec"]["minReadySeconds"] = 5;
  record_update(sts(), live, edited, manager("kubectl-edit", "Update"));
  json config = web_set();
  config["spec"]["minReadySeconds"] = 9;
  CHECK_FALSE(server_side_apply(sts(), edited, config, {manager("kubectl"), false}));
}

TEST_CASE("a struct the manager's removed fields leave empty goes too, to be defaulted again") {
  json live = web_set();
  live["spec"]["persistentVolumeClaimRetentionPolicy"] = {{"whenDeleted", "Retain"},
                                                          {"whenScaled", "Retain"}};
  auto first = server_side_apply(sts(), json(), live, {manager("kubectl"), false});
  REQUIRE(first);
  auto second = server_side_apply(sts(), *first, web_set(), {manager("kubectl"), false});
  REQUIRE(second);
  CHECK_FALSE((*second)["spec"].contains("persistentVolumeClaimRetentionPolicy"));
}
