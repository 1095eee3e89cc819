// Strategic merge patch, JSON merge patch and JSON patch as the API server applies them; the
// examples follow Kubernetes' "Update API Objects in Place Using kubectl patch" task and the
// strategic-merge-patch API conventions.
#include <catch2/catch.hpp>

#include "api/patch.hpp"
#include "api/patch_schema.hpp"
#include "api/strategic_merge.hpp"

using namespace kinda::api;
using nlohmann::json;

namespace {

json patch_demo_set() {
  return json::parse(R"({
    "apiVersion": "apps/v1", "kind": "StatefulSet",
    "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"},
                 "finalizers": ["a", "b", "c"]},
    "spec": {
      "replicas": 2,
      "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
      "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {
          "containers": [{"name": "patch-demo-ctr", "image": "nginx",
                          "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                          "ports": [{"containerPort": 80, "protocol": "TCP"}]}],
          "tolerations": [{"effect": "NoSchedule", "key": "dedicated", "value": "test-team"}]
        }
      },
      "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}},
                               {"metadata": {"name": "logs"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]
    }
  })");
}

json patched(const json& patch) {
  auto result = strategic_merge(patch_demo_set(), patch, PatchSchema::for_kind("StatefulSet"));
  REQUIRE(result);
  return *result;
}

std::string refused(const json& patch) {
  auto result = strategic_merge(patch_demo_set(), patch, PatchSchema::for_kind("StatefulSet"));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == 400);
  return result.error().message;
}

std::vector<std::string> names(const json& list, const char* key = "name") {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.at(key).get<std::string>());
  return out;
}

json containers_of(const json& set) {
  return set["spec"]["template"]["spec"]["containers"];
}

}  // namespace

TEST_CASE("a strategic merge patch merges containers by name and puts new ones first") {
  json result = patched(json::parse(
      R"({"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}})"));
  CHECK(names(containers_of(result)) ==
        std::vector<std::string>{"patch-demo-ctr-2", "patch-demo-ctr"});
  CHECK(containers_of(result)[1]["image"] == "nginx");
  CHECK(containers_of(result)[1]["env"].size() == 2);
}

TEST_CASE("a strategic merge patch replaces lists without a patch strategy (tolerations)") {
  json result = patched(json::parse(
      R"({"spec":{"template":{"spec":{"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}})"));
  const json& tolerations = result["spec"]["template"]["spec"]["tolerations"];
  REQUIRE(tolerations.size() == 1);
  CHECK(tolerations[0]["key"] == "disktype");
}

TEST_CASE("volumeClaimTemplates have no merge key, so a patch replaces them") {
  json result = patched(json::parse(
      R"({"spec":{"volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteMany"]}}]}})"));
  REQUIRE(result["spec"]["volumeClaimTemplates"].size() == 1);
  CHECK(result["spec"]["volumeClaimTemplates"][0]["spec"]["accessModes"][0] == "ReadWriteMany");
}

TEST_CASE("nested lists merge by their own keys: env by name, ports by containerPort") {
  json result = patched(json::parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"patch-demo-ctr","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}],
       "ports":[{"containerPort":80,"name":"http"}]}]}}}})"));
  json c = containers_of(result)[0];
  CHECK(c["image"] == "nginx");
  CHECK(names(c["env"]) == std::vector<std::string>{"A", "B", "C"});
  CHECK(c["env"][1]["value"] == "3");
  REQUIRE(c["ports"].size() == 1);
  CHECK(c["ports"][0] == json{{"containerPort", 80}, {"protocol", "TCP"}, {"name", "http"}});
}

TEST_CASE("null removes a key and maps merge key by key") {
  json result = patched(json::parse(R"({"metadata":{"labels":{"tier":null,"env":"prod"}}})"));
  CHECK(result["metadata"]["labels"] == json{{"app", "web"}, {"env", "prod"}});
  CHECK(result["spec"]["replicas"] == 2);
}

TEST_CASE("$retainKeys clears the keys it does not list (switching the update strategy)") {
  json result = patched(
      json::parse(R"({"spec":{"updateStrategy":{"$retainKeys":["type"],"type":"OnDelete"}}})"));
  CHECK(result["spec"]["updateStrategy"] == json{{"type", "OnDelete"}});
  CHECK(refused(json::parse(
            R"({"spec":{"updateStrategy":{"$retainKeys":["type"],"rollingUpdate":{}}}})")) ==
        "invalid patch format of retainKeys");
}

TEST_CASE("$patch: delete on a list item removes the item with that merge key") {
  json result = patched(json::parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"patch-demo-ctr","env":[{"name":"A","$patch":"delete"}]}]}}}})"));
  CHECK(names(containers_of(result)[0]["env"]) == std::vector<std::string>{"B"});
  CHECK(refused(json::parse(
            R"({"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}})")) ==
        "map: {\"$patch\":\"delete\"} does not contain declared merge key: name");
}

TEST_CASE("$patch: replace in a list replaces the list with the other items") {
  json result = patched(json::parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"patch-demo-ctr","env":[{"$patch":"replace"},{"name":"Z","value":"9"}]}]}}}})"));
  CHECK(containers_of(result)[0]["env"] == json::parse(R"([{"name":"Z","value":"9"}])"));
}

TEST_CASE("$patch: replace on a map replaces it whole, as ControllerRevision data does") {
  json revision = json::parse(R"({"spec":{"template":{"$patch":"replace",
      "metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[{"name":"web","image":"nginx:1.24"}]}}}})");
  json result = patched(revision);
  CHECK(result["spec"]["template"] == json::parse(R"({"metadata":{"labels":{"app":"web"}},
                        "spec":{"containers":[{"name":"web","image":"nginx:1.24"}]}})"));
  CHECK(result["spec"]["replicas"] == 2);
}

TEST_CASE("$patch: delete on a map empties it; other directives on a map are refused") {
  json result = patched(json::parse(R"({"spec":{"updateStrategy":{"$patch":"delete"}}})"));
  CHECK(result["spec"]["updateStrategy"] == json::object());
  CHECK(refused(json::parse(R"({"spec":{"updateStrategy":{"$patch":"merge"}}})")) ==
        "unknown patch type: merge in map: {\"$patch\":\"merge\"}");
  CHECK(refused(
            json::parse(R"({"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}})")) ==
        "merging lists cannot yet be specified in the patch");
}

TEST_CASE("merged lists of scalars are sets; $deleteFromPrimitiveList removes values") {
  CHECK(
      patched(json::parse(R"({"metadata":{"finalizers":["b","d"]}})"))["metadata"]["finalizers"] ==
      json::parse(R"(["a","b","d","c"])"));
  CHECK(patched(json::parse(
            R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}})"))["metadata"]
                                                                             ["finalizers"] ==
        json::parse(R"(["a","c"])"));
  CHECK(refused(json::parse(R"({"metadata":{"$deleteFromPrimitiveList":["b"]}})")) ==
        "invalid patch format of primitive list");
}

TEST_CASE("$setElementOrder orders a merged list") {
  json base = patch_demo_set();
  base["spec"]["template"]["spec"]["containers"].push_back({{"name", "b"}, {"image", "busybox"}});
  auto result = strategic_merge(base, json::parse(R"({"spec":{"template":{"spec":{
      "$setElementOrder/containers":[{"name":"b"},{"name":"c"},{"name":"patch-demo-ctr"}],
      "containers":[{"name":"c","image":"redis"}]}}}})"),
                                PatchSchema::for_kind("StatefulSet"));
  REQUIRE(result);
  CHECK(names(containers_of(*result)) == std::vector<std::string>{"b", "c", "patch-demo-ctr"});
}

TEST_CASE("malformed strategic patches are refused with apimachinery's messages") {
  CHECK_FALSE(
      strategic_merge(patch_demo_set(), json::array(), PatchSchema::for_kind("StatefulSet")));
  CHECK(refused(json::parse(R"({"metadata":{"finalizers":[["x"]]}})")) ==
        "lists of lists are not supported");
  CHECK(refused(json::parse(R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})")) ==
        "map: {\"image\":\"x\"} does not contain declared merge key: name");
}

TEST_CASE("other kinds use their own merge keys: service ports by port, pod containers") {
  json service = json::parse(
      R"({"kind":"Service","spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}})");
  auto result =
      strategic_merge(service, json::parse(R"({"spec":{"ports":[{"port":443,"name":"tls"}]}})"),
                      PatchSchema::for_kind("Service"));
  REQUIRE(result);
  CHECK(names((*result)["spec"]["ports"]) == std::vector<std::string>{"http", "tls"});
  json pod = json::parse(R"({"kind":"Pod","spec":{"containers":[{"name":"a","image":"x"}]}})");
  auto pod_result =
      strategic_merge(pod, json::parse(R"({"spec":{"containers":[{"name":"a","image":"y"}]}})"),
                      PatchSchema::for_kind("Pod"));
  REQUIRE(pod_result);
  CHECK((*pod_result)["spec"]["containers"] == json::parse(R"([{"name":"a","image":"y"}])"));
}

TEST_CASE("patch content types follow the API server; others are 415 UnsupportedMediaType") {
  CHECK(*patch_type_of("application/strategic-merge-patch+json") == PatchType::kStrategic);
  CHECK(*patch_type_of("application/merge-patch+json; charset=utf-8") == PatchType::kMerge);
  CHECK(*patch_type_of("application/json-patch+json") == PatchType::kJson);
  CHECK(is_apply_patch("application/apply-patch+yaml; charset=utf-8"));
  auto unknown = patch_type_of("application/yaml");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == 415);
  CHECK(unknown.error().reason == "UnsupportedMediaType");
  CHECK(unknown.error().message ==
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/apply-patch+yaml, application/strategic-merge-patch+json");
  CHECK(content_type_of(PatchType::kMerge) == "application/merge-patch+json");
}

TEST_CASE("a JSON merge patch replaces lists whole; a strategic one merges them") {
  std::string body =
      R"({"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-3","image":"node"}]}}}})";
  auto merge = apply_patch(PatchType::kMerge, patch_demo_set(), body);
  REQUIRE(merge);
  CHECK(names(containers_of(*merge)) == std::vector<std::string>{"patch-demo-ctr-3"});
  auto strategic = apply_patch(PatchType::kStrategic, patch_demo_set(), body);
  REQUIRE(strategic);
  CHECK(containers_of(*strategic).size() == 2);
  auto not_object = apply_patch(PatchType::kMerge, patch_demo_set(), "[1]");
  REQUIRE_FALSE(not_object);
  CHECK(not_object.error().code == 400);
  auto not_json = apply_patch(PatchType::kStrategic, patch_demo_set(), "{spec");
  REQUIRE_FALSE(not_json);
  CHECK(not_json.error().message == "the patch is not valid JSON");
}

TEST_CASE("a JSON patch applies operations in order; a failing one is 422, a malformed one 400") {
  auto result = apply_patch(PatchType::kJson, patch_demo_set(),
                            R"([{"op":"replace","path":"/spec/replicas","value":5},
                                {"op":"add","path":"/metadata/labels/env","value":"prod"}])");
  REQUIRE(result);
  CHECK((*result)["spec"]["replicas"] == 5);
  CHECK((*result)["metadata"]["labels"]["env"] == "prod");
  auto failed = apply_patch(PatchType::kJson, patch_demo_set(),
                            R"([{"op":"test","path":"/spec/replicas","value":7}])");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == 422);
  auto missing = apply_patch(PatchType::kJson, patch_demo_set(),
                             R"([{"op":"remove","path":"/spec/nothing"}])");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == 422);
  auto malformed =
      apply_patch(PatchType::kJson, patch_demo_set(), R"([{"op":"frobnicate","path":"/"}])");
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == 400);
  auto not_list = apply_patch(PatchType::kJson, patch_demo_set(), R"({"op":"add"})");
  REQUIRE_FALSE(not_list);
  CHECK(not_list.error().code == 400);
}
