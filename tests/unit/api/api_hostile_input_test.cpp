// What the object model does with input built to hurt it: each case is one the hostile-input
// story or the fuzzers found taking a path that crashed, hung, threw or stored something the
// controllers then tripped over. Each must now be a clear refusal, or read safely.
#include <catch2/catch.hpp>

#include <string>

#include "api/decoding.hpp"
#include "api/defaults.hpp"
#include "api/json_limits.hpp"
#include "api/labels.hpp"
#include "api/manifest.hpp"
#include "api/object.hpp"
#include "api/patch.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

using namespace kinda::api;
using kinda::FieldCause;
using nlohmann::json;

namespace {

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

json valid_set() {
  return json::parse(R"({"apiVersion": "apps/v1", "kind": "StatefulSet",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"serviceName": "web", "replicas": 1, "selector": {"matchLabels": {"app": "web"}},
      "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
        {"name": "web", "image": "busybox", "command": ["sleep", "1"],
         "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}},
      "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}})");
}

std::vector<FieldCause> validate_set(const json& set) {
  json object = set;
  const auto& resource = *find_resource("statefulsets");
  apply_defaults(resource, object);
  return validate_object(resource, object);
}

bool names_field(const std::vector<FieldCause>& causes, const std::string& field) {
  for (const auto& cause : causes)
    if (cause.field == field) return true;
  return false;
}

}  // namespace

TEST_CASE("JSON nested deeper than the limit is refused when read, without recursion") {
  CHECK(json_text_depth(nested(3)) == 3);
  CHECK(json_text_depth(R"({"a": "[[[[", "b": [1]})") == 2);  // brackets in strings do not count
  CHECK(json_text_depth(nested(5'000'000)) == kMaxNestingDepth + 1);  // stops early
  CHECK(parse_json_input(nested(kMaxNestingDepth), "the body").ok());
  auto deep = parse_json_input(nested(100'000), "the body");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().code == 400);
  CHECK(deep.error().message == "the body nests deeper than 256 levels");
  auto manifest = parse_manifests("{\"a\": " + nested(100'000) + "}", "deep.json");
  REQUIRE_FALSE(manifest.ok());
  CHECK(manifest.error().message == "error parsing deep.json: json: exceeded max depth of 256");
}

TEST_CASE("a YAML alias inside its own anchor is refused instead of recursing forever") {
  for (const char* text :
       {"a: &a [*a]\n", "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {x: *m}\n"}) {
    auto docs = parse_manifests(text, "cycle.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK(docs.error().code == 400);
    CHECK_THAT(docs.error().message, Catch::Contains("anchor value contains itself"));
  }
}

TEST_CASE("a stray ',' at the top level is an error, not yaml-cpp 0.7's endless loop") {
  for (const char* text : {",", "\n,\n", "# comment\n,", "a: b\n---\n,\n", "---\n,\n"}) {
    auto docs = parse_manifests(text, "comma.yaml");
    REQUIRE_FALSE(docs.ok());
    CHECK_THAT(docs.error().message, Catch::Contains("did not find expected node content"));
  }
  // Empty documents still read as nothing, and documents after them still read.
  auto docs = parse_manifests("---\n---\napiVersion: v1\nkind: ConfigMap\n", "empty.yaml");
  REQUIRE(docs.ok());
  CHECK(docs->size() == 1);
}

TEST_CASE("aliases copy their anchor's value, keys included, within the depth bound") {
  auto docs = parse_manifests("k: &k name\nv: &v {a: [1, yes]}\ncopy: *v\n*k : x\n", "a.yaml");
  REQUIRE(docs.ok());
  CHECK((*docs)[0] == json::parse(R"({"k": "name", "v": {"a": [1, true]},
                                       "copy": {"a": [1, true]}, "name": "x"})"));
  // Each alias nests the last one a level deeper: past the bound, it is refused.
  std::string chain = "a0: &a0 [x]\n";
  for (int i = 1; i < 300; ++i)
    chain += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
             "]\n";
  auto deep = parse_manifests(chain, "chain.yaml");
  REQUIRE_FALSE(deep.ok());
  CHECK_THAT(deep.error().message, Catch::Contains("exceeded max depth of 256"));
}

TEST_CASE("billion laughs: nested aliases are refused before they expand") {
  std::string text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  std::string previous = "a";
  for (char name = 'b'; name <= 'i'; ++name) {
    text += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", *" : "*") + previous;
    text += "]\n";
    previous = std::string(1, name);
  }
  auto docs = parse_manifests(text, "laughs.yaml");
  REQUIRE_FALSE(docs.ok());
  CHECK_THAT(docs.error().message, Catch::Contains("document contains excessive aliasing"));
  // Ordinary reuse of an anchor still reads.
  auto reuse = parse_manifests("x: &x {a: b}\ny: *x\nz: *x\n", "reuse.yaml");
  REQUIRE(reuse.ok());
  CHECK((*reuse)[0]["z"]["a"] == "b");
}

TEST_CASE("YAML that is not UTF-8 text, or holds control characters, is refused") {
  auto bad = parse_manifests("metadata: {name: \xff\xfe}\n", "bytes.yaml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "error parsing bytes.yaml: yaml: line 1: invalid UTF-8");
  auto nul = parse_manifests(std::string("a: b\nc: d\0e\n", 11), "nul.yaml");
  REQUIRE_FALSE(nul.ok());
  CHECK(nul.error().message ==
        "error parsing nul.yaml: yaml: line 2: control characters are not allowed");
  CHECK(parse_manifests("name: caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\n", "utf8.yaml").ok());
  CHECK_FALSE(parse_manifests("a: \xed\xa0\x80\n", "surrogate.yaml").ok());
  CHECK_FALSE(parse_manifests("a: \xc0\xaf\n", "overlong.yaml").ok());
}

TEST_CASE("yaml-cpp's own nesting limit reads as a depth error, not \"bad file\"") {
  auto deep = parse_manifests("x: " + nested(10'000) + "\n", "deep.yaml");
  REQUIRE_FALSE(deep.ok());
  CHECK_THAT(deep.error().message, Catch::Contains("exceeded max depth of"));
}

TEST_CASE("a manifest whose kind is not a string is no List and no crash") {
  auto docs = parse_manifests("apiVersion: v1\nkind: [List]\nitems: []\n", "kind.yaml");
  REQUIRE(docs.ok());
  CHECK(docs->size() == 1);
}

TEST_CASE("decoding refuses common fields of the wrong type with 400, as the API server does") {
  const auto& sets = *find_resource("statefulsets");
  json name_number = {{"metadata", {{"name", 5}}}};
  auto refused = decode_object(sets, name_number);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == 400);
  CHECK(refused.error().message ==
        "StatefulSet in version \"v1\" cannot be handled as a StatefulSet: metadata.name must be "
        "a string, got 5");
  for (const char* body : {R"({"metadata": {"namespace": 7}})", R"({"metadata": "x"})",
                           R"({"spec": "x"})", R"({"metadata": {"labels": ["a"]}})",
                           R"({"metadata": {"ownerReferences": [5]}})", R"({"kind": ["x"]})"}) {
    json object = json::parse(body);
    CHECK_FALSE(decode_object(sets, object).ok());
  }
  json nulls = json::parse(R"({"metadata": {"name": "a", "namespace": null}, "spec": null})");
  REQUIRE(decode_object(sets, nulls).ok());
  CHECK(nulls == json::parse(R"({"metadata": {"name": "a"}})"));
  // ConfigMaps have no spec; a field of that name is ignored as an unknown field.
  json config = json::parse(R"({"metadata": {"name": "a"}, "spec": "x"})");
  CHECK(decode_object(*find_resource("configmaps"), config).ok());
}

TEST_CASE("counts Kubernetes declares int32 are refused beyond its range") {
  json set = valid_set();
  set["spec"]["replicas"] = 2147483648LL;
  CHECK(names_field(validate_set(set), "spec.replicas"));
  set["spec"]["replicas"] = 2147483647LL;
  CHECK_FALSE(names_field(validate_set(set), "spec.replicas"));
}

TEST_CASE("a StatefulSet's claim templates are validated as the claims they become") {
  json set = valid_set();
  set["spec"]["volumeClaimTemplates"][0]["spec"].erase("resources");
  CHECK(names_field(validate_set(set), "spec.volumeClaimTemplates[0].spec.resources[storage]"));
  set["spec"]["volumeClaimTemplates"][0]["metadata"] = "x";
  CHECK(names_field(validate_set(set), "spec.volumeClaimTemplates[0].metadata.name"));
  set["spec"]["volumeClaimTemplates"][0]["metadata"] = {{"name", "../../x"}};
  CHECK(names_field(validate_set(set), "spec.volumeClaimTemplates[0].metadata.name"));
  // Found by manifest_fuzz: the pods a template makes must decode (annotations a map of strings).
  set = valid_set();
  set["spec"]["template"]["metadata"]["annotations"] = "postgres";
  CHECK(names_field(validate_set(set), "spec.template.metadata"));
  set = valid_set();
  set["spec"]["volumeClaimTemplates"][0]["metadata"]["labels"] = {{"a", 5}};
  CHECK(names_field(validate_set(set), "spec.volumeClaimTemplates[0].metadata"));
}

TEST_CASE("shapes the validators used to throw on are causes") {
  json set = valid_set();
  set["spec"]["updateStrategy"] = 5;
  set["spec"]["persistentVolumeClaimRetentionPolicy"] = "x";
  auto causes = validate_set(set);
  CHECK(names_field(causes, "spec.updateStrategy"));
  CHECK(names_field(causes, "spec.persistentVolumeClaimRetentionPolicy"));

  json service = json::parse(R"({"metadata": {"name": "s"}, "spec": {"ports": [5, {"port": 80,
      "name": 7}], "type": "ExternalName", "externalName": ["x"]}})");
  auto service_causes = validate_object(*find_resource("services"), service);
  CHECK(names_field(service_causes, "spec.ports[0]"));
  CHECK(names_field(service_causes, "spec.ports[1].name"));
  CHECK(names_field(service_causes, "spec.externalName"));

  json selector = json::parse(R"({"matchExpressions": [5]})");
  CHECK_FALSE(Selector::from_json(selector).ok());
}

TEST_CASE("volume mounts and probes are refused in shapes the pod manager cannot use") {
  json set = valid_set();
  json& container = set["spec"]["template"]["spec"]["containers"][0];
  json& mount = container["volumeMounts"][0];
  for (const char* sub : {"../../x", "a/../../b", "/etc", ".."}) {
    mount["subPath"] = sub;
    CHECK(
        names_field(validate_set(set), "spec.template.spec.containers[0].volumeMounts[0].subPath"));
  }
  mount["subPath"] = "a/b..c/d";
  mount["readOnly"] = "yes";
  auto causes = validate_set(set);
  CHECK_FALSE(names_field(causes, "spec.template.spec.containers[0].volumeMounts[0].subPath"));
  CHECK(names_field(causes, "spec.template.spec.containers[0].volumeMounts[0].readOnly"));
  mount.erase("readOnly");
  container["readinessProbe"] = json::parse(R"({"tcpSocket": {"port": 80, "host": 5}})");
  container["livenessProbe"] =
      json::parse(R"({"httpGet": {"port": 80, "path": 1, "httpHeaders": [{"name": 2}, 3]}})");
  causes = validate_set(set);
  const std::string p = "spec.template.spec.containers[0].";
  CHECK(names_field(causes, p + "readinessProbe.tcpSocket.host"));
  CHECK(names_field(causes, p + "livenessProbe.httpGet.path"));
  CHECK(names_field(causes, p + "livenessProbe.httpGet.httpHeaders[0].name"));
  CHECK(names_field(causes, p + "livenessProbe.httpGet.httpHeaders[1]"));
}

TEST_CASE("the accessors controllers use read client-written shapes as absent") {
  json pod = json::parse(R"({"metadata": {"ownerReferences": [{"controller": "yes", "uid": 5},
      {"controller": true, "uid": ["x"]}]}, "status": {"conditions": [5, {"type": 1}]},
      "spec": {"replicas": 1e300}})");
  CHECK(controller_uid(pod) == "");
  CHECK_FALSE(pod_is_ready(pod));
  CHECK(int_at(pod, "spec.replicas", 7) == 7);
  CHECK(bool_at(pod, "metadata.ownerReferences", true));
}

TEST_CASE("JSON patches are bounded: operation count, copies and depth") {
  const json object = {{"kind", "ConfigMap"}, {"data", {{"a", "b"}}}};
  json many = json::array();
  for (int i = 0; i < 10001; ++i)
    many.push_back({{"op", "test"}, {"path", "/kind"}, {"value", "ConfigMap"}});
  auto too_many = apply_patch(PatchType::kJson, object, many.dump());
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().code == 413);

  json doubling = json::array();
  for (int i = 0; i < 40; ++i)  // each copy doubles /data
    doubling.push_back(
        {{"op", "copy"}, {"from", "/data"}, {"path", "/data/x" + std::to_string(i)}});
  auto doubled = apply_patch(PatchType::kJson, object, doubling.dump());
  REQUIRE_FALSE(doubled.ok());
  CHECK(doubled.error().code == 422);

  // Each value fits in a body; placed one inside the other they would not.
  std::string inner_path = "/data/x";
  for (int i = 0; i < 100; ++i) inner_path += "/0";
  json deep_add =
      json::array({{{"op", "add"}, {"path", "/data/x"}, {"value", json::parse(nested(200))}},
                   {{"op", "add"}, {"path", inner_path}, {"value", json::parse(nested(200))}}});
  auto deep = apply_patch(PatchType::kJson, object, deep_add.dump());
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().code == 422);
  CHECK_THAT(deep.error().message, Catch::Contains("deeper than 256 levels"));

  json fits =
      json::array({{{"op", "add"}, {"path", "/data/x"}, {"value", json::parse(nested(200))}}});
  CHECK(apply_patch(PatchType::kJson, object, fits.dump()).ok());
  auto body = apply_patch(PatchType::kMerge, object, "{\"a\":" + nested(100'000) + "}");
  REQUIRE_FALSE(body.ok());
  CHECK(body.error().code == 400);
}
