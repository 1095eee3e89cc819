// The daemon's side of server-side printing: which Accept headers get a Table, the Table's shape
// for each includeObject, and watch events that carry their columns only once.
#include <catch2/catch.hpp>

#include "api/resources.hpp"
#include "apiserver/endpoints/table_response.hpp"
#include "apiserver/transport/media_types.hpp"

using namespace kinda::apiserver;
using nlohmann::json;

namespace {

constexpr const char* kKubectlTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
    "json;as=Table;v=v1beta1;g=meta.k8s.io,"
    "application/json";

const kinda::api::ResourceInfo& pods() {
  return *kinda::api::find_resource("pods");
}

Request table_request(const std::string& accept, std::map<std::string, std::string> query = {}) {
  Request r;
  r.method = "GET";
  r.path = "/api/v1/namespaces/default/pods";
  r.accept = accept;
  r.query = std::move(query);
  return r;
}

json pod(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"name", name},
            {"namespace", "default"},
            {"uid", "u-" + name},
            {"resourceVersion", "7"},
            {"labels", {{"app", "web"}}},
            {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
          {"spec", {{"containers", {{{"name", "app"}}}}}},
          {"status", {{"phase", "Running"}}}};
}

}  // namespace

TEST_CASE("Accept lists media ranges, most preferred first by q then by order") {
  auto ranges = parse_accept(
      " text/html;q=0.5, application/json ; as=Table; v=v1 ;g=meta.k8s.io,"
      "*/*;q=0.8, application/yaml;q=0, bad");
  REQUIRE(ranges.size() == 3);
  CHECK(ranges[0].subtype == "json");
  CHECK(ranges[0].param("as") == "Table");
  CHECK(ranges[0].param("g") == "meta.k8s.io");
  CHECK(ranges[1].type == "*");
  CHECK(ranges[1].q == Approx(0.8));
  CHECK(ranges[2].subtype == "html");
  CHECK(parse_accept("").empty());
}

TEST_CASE("kubectl's Accept gets a v1 Table; plain JSON or other profiles do not") {
  auto kubectl = table_request(table_request(kKubectlTableAccept));
  REQUIRE(kubectl);
  REQUIRE(kubectl->has_value());
  CHECK((*kubectl)->api_version == "meta.k8s.io/v1");
  CHECK((*kubectl)->include_object == "Metadata");
  auto beta = table_request(table_request("application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
  CHECK((*beta)->api_version == "meta.k8s.io/v1beta1");
  for (const char* accept : {"", "application/json", "*/*",
                             "application/json, application/json;as=Table;v=v1;g=meta.k8s.io",
                             "application/json;as=Table;v=v2;g=meta.k8s.io",
                             "application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/json",
                             "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"}) {
    INFO(accept);
    auto plain = table_request(table_request(accept));
    REQUIRE(plain);
    CHECK_FALSE(plain->has_value());
  }
  auto after_unknown =
      table_request(table_request("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
                                  "application/json;as=Table;v=v1;g=meta.k8s.io"));
  CHECK(after_unknown->has_value());
}

TEST_CASE("includeObject chooses what each row carries; unknown values are a 400") {
  auto none = table_request(table_request(kKubectlTableAccept, {{"includeObject", "None"}}));
  CHECK((*none)->include_object == "None");
  auto bad = table_request(table_request(kKubectlTableAccept, {{"includeObject", "Everything"}}));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == 400);
  CHECK_THAT(bad.error().message, Catch::Contains("includeObject"));
  // Without a Table nothing reads includeObject.
  CHECK(table_request(table_request("application/json", {{"includeObject", "Everything"}})));
}

TEST_CASE("a list's Table has the resourceVersion, the columns and a row per object") {
  TableRequest request;
  json table = to_table(request, pods(), {pod("web-0"), pod("web-1")}, "42");
  CHECK(table["kind"] == "Table");
  CHECK(table["apiVersion"] == "meta.k8s.io/v1");
  CHECK(table["metadata"] == json{{"resourceVersion", "42"}});
  REQUIRE(table["columnDefinitions"].size() == 9);
  CHECK(table["columnDefinitions"][0] ==
        json{{"name", "Name"},
             {"type", "string"},
             {"format", "name"},
             {"description", table["columnDefinitions"][0]["description"]},
             {"priority", 0}});
  CHECK(table["columnDefinitions"][5]["name"] == "IP");
  CHECK(table["columnDefinitions"][5]["priority"] == 1);
  REQUIRE(table["rows"].size() == 2);
  const json& row = table["rows"][1];
  CHECK(row["cells"][0] == "web-1");
  CHECK(row["cells"][2] == "Running");
  CHECK(row["cells"].size() == 9);
  CHECK(row["object"] == json{{"kind", "PartialObjectMetadata"},
                              {"apiVersion", "meta.k8s.io/v1"},
                              {"metadata", pod("web-1")["metadata"]}});
  CHECK_FALSE(row.contains("conditions"));
  CHECK(to_table(request, pods(), {}, "42")["rows"] == json::array());
}

TEST_CASE("rows carry no object, the whole object, or v1beta1 metadata as asked") {
  TableRequest request;
  request.include_object = "None";
  CHECK(to_table(request, pods(), {pod("a")}, "1")["rows"][0]["object"].is_null());
  request.include_object = "Object";
  CHECK(to_table(request, pods(), {pod("a")}, "1")["rows"][0]["object"] == pod("a"));
  request = TableRequest{"meta.k8s.io/v1beta1", "Metadata"};
  json table = to_table(request, pods(), {pod("a")}, "1");
  CHECK(table["apiVersion"] == "meta.k8s.io/v1beta1");
  CHECK(table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1");
}

TEST_CASE("a watch's first Table brings the columns, later ones leave them out") {
  WatchTables tables(TableRequest{}, pods());
  json first = tables.convert("ADDED", pod("web-0"));
  CHECK(first["kind"] == "Table");
  CHECK(first["columnDefinitions"].size() == 9);
  CHECK(first["metadata"]["resourceVersion"] == "7");
  CHECK(first["rows"][0]["cells"][0] == "web-0");
  json next = tables.convert("MODIFIED", pod("web-1"));
  CHECK(next["columnDefinitions"].is_null());
  CHECK(next["rows"][0]["cells"][0] == "web-1");
  json status = {{"kind", "Status"}, {"code", 410}};
  CHECK(tables.convert("ERROR", status) == status);
}

TEST_CASE("a list's Table is written from the stored texts, each row kept until it changes") {
  TableRows rows;
  ListOptions all;
  std::vector<std::string> texts = {pod("web-0").dump(), pod("web-1").dump()};
  Reply reply = table_list_reply(TableRequest{}, rows, pods(), "default", all, texts, 42);
  CHECK(reply.response.status == 200);
  CHECK(reply.response.content_type == "application/json");
  json table = json::parse(reply.response.body);
  CHECK(table == to_table(TableRequest{}, pods(), {pod("web-0"), pod("web-1")}, "42"));
  CHECK(rows.size() == 2);

  TableRequest whole;
  whole.include_object = "Object";
  json with_objects =
      json::parse(table_list_reply(whole, rows, pods(), "default", all, texts, 42).response.body);
  CHECK(with_objects["rows"][1]["object"] == pod("web-1"));

  // web-1 changed and web-0 went away: the next list of the namespace keeps only what it saw.
  json changed = pod("web-1");
  changed["status"]["phase"] = "Failed";
  table = json::parse(
      table_list_reply(TableRequest{}, rows, pods(), "default", all, {changed.dump()}, 43)
          .response.body);
  CHECK(table["rows"][0]["cells"][2] == "Failed");
  CHECK(table["rows"][0]["conditions"][0]["reason"] == "Failed");
  CHECK(rows.size() == 1);
  // A list with a selector saw only part of the scope, so it drops nothing.
  ListOptions selected{"app=web", ""};
  table_list_reply(TableRequest{}, rows, pods(), "default", selected, {pod("web-2").dump()}, 44);
  CHECK(rows.size() == 2);
  // Another namespace's list leaves this one's rows alone.
  table_list_reply(TableRequest{}, rows, pods(), "other", all, {}, 45);
  CHECK(rows.size() == 2);
}
