// What kubectl and client-go read before they act: discovery (legacy and aggregated, chosen by
// the Accept header), the OpenAPI documents, read versions, the store's state at a past revision
// and which events a filtered watch sends.
#include <catch2/catch.hpp>

#include "apiserver/endpoints/discovery.hpp"
#include "apiserver/endpoints/openapi.hpp"
#include "apiserver/endpoints/read_version.hpp"
#include "apiserver/endpoints/watch_filter.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using namespace kinda::apiserver;
using nlohmann::json;

namespace {

const json* find_named(const json& list, const char* key, const std::string& name) {
  for (const auto& item : list)
    if (item.value(key, "") == name) return &item;
  return nullptr;
}

Request get(const std::string& path, const std::string& accept = "",
            std::map<std::string, std::string> query = {}) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.accept = accept;
  r.query = std::move(query);
  return r;
}

constexpr const char* kKubectlDiscoveryAccept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

}  // namespace

TEST_CASE("discovery negotiates the format kubectl asks for first") {
  CHECK(negotiate_discovery(kKubectlDiscoveryAccept) == DiscoveryFormat::kAggregatedV2);
  CHECK(negotiate_discovery("application/json;g=apidiscovery.k8s.io;v=v2beta1;"
                            "as=APIGroupDiscoveryList,application/json") ==
        DiscoveryFormat::kAggregatedV2Beta1);
  CHECK(negotiate_discovery("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;"
                            "q=0.5, application/json") == DiscoveryFormat::kLegacy);
  CHECK(negotiate_discovery("") == DiscoveryFormat::kLegacy);
  CHECK(negotiate_discovery("*/*") == DiscoveryFormat::kLegacy);
  CHECK(negotiate_discovery("application/json;as=Table;v=v1;g=meta.k8s.io,application/json") ==
        DiscoveryFormat::kLegacy);
  CHECK(discovery_content_type(DiscoveryFormat::kAggregatedV2) ==
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
}

TEST_CASE("legacy discovery lists verbs, short names, categories and subresources") {
  json v1 = *discovery_document("/api/v1");
  CHECK(v1["groupVersion"] == "v1");
  const json* pods = find_named(v1["resources"], "name", "pods");
  REQUIRE(pods);
  CHECK((*pods)["shortNames"] == json{"po"});
  CHECK((*pods)["categories"] == json{"all"});
  CHECK((*pods)["singularName"] == "pod");
  CHECK((*pods)["verbs"] ==
        json{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"});
  const json* eviction = find_named(v1["resources"], "name", "pods/eviction");
  REQUIRE(eviction);
  CHECK((*eviction)["group"] == "policy");
  CHECK((*eviction)["kind"] == "Eviction");
  const json* ns = find_named(v1["resources"], "name", "namespaces");
  REQUIRE(ns);
  CHECK_FALSE((*ns).contains("categories"));
  CHECK(std::find((*ns)["verbs"].begin(), (*ns)["verbs"].end(), "deletecollection") ==
        (*ns)["verbs"].end());

  json apps = *discovery_document("/apis/apps/v1");
  const json* scale = find_named(apps["resources"], "name", "statefulsets/scale");
  REQUIRE(scale);
  CHECK((*scale)["group"] == "autoscaling");
  CHECK((*scale)["kind"] == "Scale");

  json groups = *discovery_document("/apis");
  // Only the groups kinda serves resources of (no autoscaling), in the resource table's order.
  const std::vector<std::string> served = {"apps",
                                           "coordination.k8s.io",
                                           "discovery.k8s.io",
                                           "rbac.authorization.k8s.io",
                                           "networking.k8s.io",
                                           "scheduling.k8s.io",
                                           "storage.k8s.io",
                                           "policy",
                                           "batch"};
  REQUIRE(groups["groups"].size() == served.size());
  for (size_t i = 0; i < served.size(); ++i) CHECK(groups["groups"][i]["name"] == served[i]);
  CHECK((*discovery_document("/apis/apps"))["kind"] == "APIGroup");
  CHECK_FALSE(discovery_document("/apis/autoscaling/v1"));
  CHECK(discovery_document("/apis/policy/v1"));
}

TEST_CASE("aggregated discovery answers /api and /apis with the profile in Content-Type") {
  auto core = discovery_response(get("/api", kKubectlDiscoveryAccept));
  REQUIRE(core);
  CHECK(core->content_type ==
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  json list = json::parse(core->body);
  CHECK(list["kind"] == "APIGroupDiscoveryList");
  CHECK(list["apiVersion"] == "apidiscovery.k8s.io/v2");
  REQUIRE(list["items"].size() == 1);
  const json& version = list["items"][0]["versions"][0];
  CHECK(version["version"] == "v1");
  CHECK(version["freshness"] == "Current");
  const json* pods = find_named(version["resources"], "resource", "pods");
  REQUIRE(pods);
  CHECK((*pods)["scope"] == "Namespaced");
  CHECK((*pods)["responseKind"] == json{{"group", ""}, {"version", "v1"}, {"kind", "Pod"}});
  const json* log = find_named((*pods)["subresources"], "subresource", "log");
  REQUIRE(log);
  CHECK((*log)["verbs"] == json{"get"});

  auto apis = discovery_response(get("/apis", kKubectlDiscoveryAccept));
  json groups = json::parse(apis->body);
  REQUIRE(groups["items"].size() == 9);
  CHECK(groups["items"][0]["metadata"]["name"] == "apps");
  CHECK(groups["items"][1]["metadata"]["name"] == "coordination.k8s.io");
  CHECK(groups["items"][2]["metadata"]["name"] == "discovery.k8s.io");
  CHECK(groups["items"][8]["metadata"]["name"] == "batch");
  const json* sts =
      find_named(groups["items"][0]["versions"][0]["resources"], "resource", "statefulsets");
  REQUIRE(sts);
  const json* scale = find_named((*sts)["subresources"], "subresource", "scale");
  REQUIRE(scale);
  CHECK((*scale)["responseKind"] ==
        json{{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}});
  CHECK((*sts)["categories"] == json{"all"});

  auto beta = discovery_response(
      get("/apis", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"));
  CHECK(json::parse(beta->body)["apiVersion"] == "apidiscovery.k8s.io/v2beta1");
  auto legacy = discovery_response(get("/apis", "application/json, */*"));
  CHECK(legacy->content_type == "application/json");
  CHECK(json::parse(legacy->body)["kind"] == "APIGroupList");
}

TEST_CASE("OpenAPI v3 tells kubectl every kind validates server-side and patches by built-ins") {
  json index = openapi_v3_index();
  REQUIRE(index["paths"].contains("api/v1"));
  REQUIRE(index["paths"].contains("apis/apps/v1"));
  std::string url = index["paths"]["apis/apps/v1"]["serverRelativeURL"];
  CHECK(url.starts_with("/openapi/v3/apis/apps/v1?hash="));

  json apps = *openapi_v3_document("apis/apps/v1");
  const json& patch =
      apps["paths"]["/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}"]["patch"];
  CHECK(patch["x-kubernetes-group-version-kind"] ==
        json{{"group", "apps"}, {"version", "v1"}, {"kind", "StatefulSet"}});
  CHECK(find_named(patch["parameters"], "name", "fieldValidation"));
  CHECK(patch["requestBody"]["content"].contains("application/apply-patch+yaml"));
  CHECK_FALSE(patch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  // Every PATCH of a kind declares fieldValidation (kubectl looks at whichever it finds first).
  for (auto& [path, item] : apps["paths"].items())
    if (item.contains("patch"))
      CHECK(find_named(item["patch"]["parameters"], "name", "fieldValidation"));

  const json& schemas = apps["components"]["schemas"];
  const json& sts = schemas["io.k8s.api.apps.v1.StatefulSet"];
  CHECK(sts["x-kubernetes-group-version-kind"][0]["kind"] == "StatefulSet");
  const json& containers = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
  CHECK(containers["x-kubernetes-patch-merge-key"] == "name");
  CHECK(containers["x-kubernetes-patch-strategy"] == "merge");
  const json& volumes = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["volumes"];
  CHECK(volumes["x-kubernetes-patch-strategy"] == "merge,retainKeys");
  const json& ports = schemas["io.k8s.api.core.v1.Container"]["properties"]["ports"];
  CHECK(ports["x-kubernetes-patch-merge-key"] == "containerPort");
  const json& claims =
      schemas["io.k8s.api.apps.v1.StatefulSetSpec"]["properties"]["volumeClaimTemplates"];
  CHECK(claims["x-kubernetes-list-type"] == "atomic");
  CHECK(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  CHECK_FALSE(openapi_v3_document("apis/autoscaling/v1"));
  auto batch = openapi_v3_document("apis/batch/v1");
  REQUIRE(batch);
  const json& job_spec = (*batch)["components"]["schemas"]["io.k8s.api.batch.v1.JobSpec"];
  CHECK(job_spec["properties"].contains("podFailurePolicy"));
  CHECK(job_spec["properties"].contains("backoffLimitPerIndex"));
  CHECK((*batch)["components"]["schemas"].contains("io.k8s.api.batch.v1.CronJobSpec"));
}

TEST_CASE("OpenAPI names Endpoints and EndpointSlice schemas by their Go packages") {
  json discovery = *openapi_v3_document("apis/discovery.k8s.io/v1");
  const json& schemas = discovery["components"]["schemas"];
  const json& slice = schemas["io.k8s.api.discovery.v1.EndpointSlice"];
  CHECK(slice["x-kubernetes-group-version-kind"][0]["group"] == "discovery.k8s.io");
  CHECK(slice["properties"]["ports"]["items"]["$ref"] ==
        "#/components/schemas/io.k8s.api.discovery.v1.EndpointPort");
  CHECK(schemas["io.k8s.api.discovery.v1.Endpoint"]["properties"]["conditions"]["$ref"] ==
        "#/components/schemas/io.k8s.api.discovery.v1.EndpointConditions");
  json core = *openapi_v3_document("api/v1");
  const json& subset = core["components"]["schemas"]["io.k8s.api.core.v1.EndpointSubset"];
  CHECK(subset["properties"]["ports"]["items"]["$ref"] ==
        "#/components/schemas/io.k8s.api.core.v1.EndpointPort");
}

TEST_CASE("OpenAPI v2 defines nothing, in JSON and in gnostic's protobuf") {
  CHECK(openapi_v2_document()["definitions"].empty());
  std::string pb = openapi_v2_protobuf();
  // swagger (field 1) = "2.0", then info (field 2) with title and version.
  CHECK(pb.substr(0, 5) == std::string("\x0a\x03"
                                       "2.0",
                                       5));
  CHECK(static_cast<unsigned char>(pb[5]) == 0x12);
  auto proto = openapi_response(
      get("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"));
  REQUIRE(proto);
  CHECK(proto->body == pb);
  auto plain = openapi_response(get("/openapi/v2", "application/json"));
  CHECK(json::parse(plain->body)["swagger"] == "2.0");
  CHECK_FALSE(openapi_response(get("/openapi/v3/apis/foo/v1")));
}

TEST_CASE("read versions follow the API server's rules and refusals") {
  auto unset = read_version_of(get("/x"), false);
  CHECK(unset->kind == ReadVersion::Kind::kMostRecent);
  CHECK(read_version_of(get("/x", "", {{"resourceVersion", "0"}}), false)->kind ==
        ReadVersion::Kind::kAny);
  auto exact = read_version_of(
      get("/x", "", {{"resourceVersion", "12"}, {"resourceVersionMatch", "Exact"}}), false);
  CHECK(exact->kind == ReadVersion::Kind::kExact);
  CHECK(exact->revision == 12);
  CHECK(read_version_of(get("/x", "", {{"resourceVersion", "12"}}), false)->kind ==
        ReadVersion::Kind::kNotOlderThan);

  auto no_rv = read_version_of(get("/x", "", {{"resourceVersionMatch", "Exact"}}), false);
  CHECK(no_rv.error().code == 422);
  CHECK(no_rv.error().message ==
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
        "resourceVersionMatch is forbidden unless resourceVersion is provided");
  CHECK(read_version_of(
            get("/x", "", {{"resourceVersion", "0"}, {"resourceVersionMatch", "Exact"}}), false)
            .error()
            .code == 422);
  CHECK(read_version_of(get("/x", "", {{"resourceVersion", "abc"}}), false).error().code == 400);
  CHECK(read_version_of(get("/x", "", {{"continue", "abc"}}), false).error().code == 400);

  auto watch_list = read_version_of(
      get("/x", "", {{"sendInitialEvents", "true"}, {"resourceVersionMatch", "NotOlderThan"}}),
      true);
  REQUIRE(watch_list);
  CHECK(watch_list->send_initial_events == true);
  CHECK(read_version_of(get("/x", "", {{"sendInitialEvents", "true"}}), true).error().code == 422);
  CHECK(read_version_of(get("/x", "", {{"resourceVersionMatch", "NotOlderThan"}}), true)
            .error()
            .code == 422);

  auto too_large = check_not_too_large(*exact, 5);
  REQUIRE_FALSE(too_large);
  CHECK(too_large.error().code == 504);
  CHECK(too_large.error().message == "Too large resource version: 12, current: 5");
  CHECK(check_not_too_large(*exact, 12));
}

TEST_CASE("a filtered watch sends ADDED and DELETED as objects cross its selector") {
  auto labelled = [](const char* app, int rv) {
    return json{
        {"metadata",
         {{"name", "p"}, {"labels", {{"app", app}}}, {"resourceVersion", std::to_string(rv)}}}};
  };
  auto web = [](const json& o) { return o["metadata"]["labels"]["app"] == "web"; };
  using kinda::storage::EventType;

  auto in = filter_event(EventType::Modified, labelled("web", 2), labelled("db", 1), web);
  REQUIRE(in);
  CHECK(std::string(in->type) == "ADDED");
  auto stay = filter_event(EventType::Modified, labelled("web", 3), labelled("web", 2), web);
  CHECK(std::string(stay->type) == "MODIFIED");
  auto out = filter_event(EventType::Modified, labelled("db", 4), labelled("web", 3), web);
  REQUIRE(out);
  CHECK(std::string(out->type) == "DELETED");
  // The previous state, with the change's resourceVersion.
  CHECK(out->object["metadata"]["labels"]["app"] == "web");
  CHECK(out->object["metadata"]["resourceVersion"] == "4");
  CHECK_FALSE(filter_event(EventType::Modified, labelled("db", 5), labelled("db", 4), web));
  CHECK_FALSE(filter_event(EventType::Added, labelled("db", 1), json(), web));
  CHECK(std::string(
            filter_event(EventType::Deleted, labelled("web", 6), labelled("web", 5), web)->type) ==
        "DELETED");
  // Previous state unknown: the current state decides.
  CHECK(std::string(filter_event(EventType::Modified, labelled("web", 7), json(), web)->type) ==
        "MODIFIED");
}

TEST_CASE("the store rebuilds a resource's state at a past revision from its log") {
  kinda::storage::testing::TempDir dir;
  auto store = kinda::storage::Store::open(dir.db());
  REQUIRE(store);
  auto& s = **store;
  auto cm = [](const char* name, const char* value) {
    return json{{"metadata", {{"name", name}, {"namespace", "default"}}}, {"data", {{"v", value}}}};
  };
  REQUIRE(s.create("configmaps", cm("a", "1")));
  int64_t after_a = s.revision();
  REQUIRE(s.create("configmaps", cm("b", "1")));
  REQUIRE(s.update("configmaps", cm("a", "2")));
  int64_t after_update = s.revision();
  REQUIRE(s.remove("configmaps", "default", "b"));
  REQUIRE(s.create("configmaps", cm("c", "1")));

  auto at_a = s.list_at(after_a, "configmaps");
  REQUIRE(at_a);
  REQUIRE(at_a->size() == 1);
  CHECK((*at_a)[0]["data"]["v"] == "1");
  auto at_update = s.list_at(after_update, "configmaps", "default");
  REQUIRE(at_update);
  REQUIRE(at_update->size() == 2);
  CHECK((*at_update)[0]["data"]["v"] == "2");
  CHECK((*at_update)[1]["metadata"]["name"] == "b");
  CHECK(s.list_at(s.revision(), "configmaps")->size() == 2);
  CHECK(s.list_at(after_a, "configmaps", "other")->empty());

  s.set_log_retention(1);
  for (int i = 0; i < 5; ++i) REQUIRE(s.update("configmaps", cm("c", std::to_string(i).c_str())));
  auto gone = s.list_at(after_a, "configmaps");
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == 410);
}
