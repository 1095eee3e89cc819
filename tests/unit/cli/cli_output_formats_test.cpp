// kubectl's output options as pure printers: -o jsonpath templates, -o custom-columns and
// --sort-by, checked against what kubectl 1.32 prints for the same objects.
#include <catch2/catch.hpp>

#include "cli/printers/custom_columns.hpp"
#include "cli/printers/jsonpath.hpp"
#include "cli/printers/sort_by.hpp"

using namespace kinda::cli;
using nlohmann::json;

namespace {

json listed_pod(const std::string& name, const std::string& phase, const std::string& ip,
                int restarts) {
  return {{"metadata", {{"name", name}, {"labels", {{"app", "web"}}}}},
          {"spec",
           {{"containers",
             {{{"name", "app"}, {"image", "nginx:1.27"}},
              {{"name", "sidecar"}, {"image", "busybox"}}}}}},
          {"status",
           {{"phase", phase},
            {"podIP", ip},
            {"containerStatuses", {{{"name", "app"}, {"restartCount", restarts}}}}}}};
}

json pod_list() {
  return {{"kind", "List"},
          {"items",
           {listed_pod("web-10", "Running", "127.64.0.12", 0),
            listed_pod("web-2", "Pending", "127.64.0.4", 3),
            listed_pod("web-1", "Running", "127.64.0.3", 1)}}};
}

std::string print(const std::string& text, const json& data) {
  auto path = JsonPath::parse(text);
  REQUIRE(path);
  auto out = path->print(data);
  REQUIRE(out);
  return *out;
}

}  // namespace

TEST_CASE("jsonpath: fields, indexes, wildcards and slices") {
  json list = pod_list();
  REQUIRE(print("{.items[0].metadata.name}", list) == "web-10");
  REQUIRE(print("{.items[*].metadata.name}", list) == "web-10 web-2 web-1");
  REQUIRE(print("{.items[-1].metadata.name}", list) == "web-1");
  REQUIRE(print("{.items[0:2].status.podIP}", list) == "127.64.0.12 127.64.0.4");
  REQUIRE(print("{.items[::2].metadata.name}", list) == "web-10 web-1");
  REQUIRE(print("{.items[0]['metadata']['name']}", list) == "web-10");
  REQUIRE(print("{$.items[1].spec.containers[*].image}", list) == "nginx:1.27 busybox");
  REQUIRE(print("name={.items[0].metadata.name}!", list) == "name=web-10!");
}

TEST_CASE("jsonpath: values that are not strings print as compact JSON") {
  json list = pod_list();
  REQUIRE(print("{.items[1].status.containerStatuses[0].restartCount}", list) == "3");
  REQUIRE(print("{.items[0].metadata.labels}", list) == R"({"app":"web"})");
}

TEST_CASE("jsonpath: missing fields print nothing, as kubectl's default") {
  json list = pod_list();
  REQUIRE(print("{.items[0].metadata.namespace}", list).empty());
  REQUIRE(print("{.items[7].metadata.name}", list).empty());
  REQUIRE(print("[{.nothing.here}]", list) == "[]");
}

TEST_CASE("jsonpath: range, end and quoted literals with escapes") {
  json list = pod_list();
  REQUIRE(print(R"({range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end})", list) ==
          "web-10\tRunning\nweb-2\tPending\nweb-1\tRunning\n");
  REQUIRE(print(R"({range .items}{.metadata.name}{","}{end})", list) == "web-10,web-2,web-1,");
  REQUIRE(print(R"({range.items[*]}{.metadata.name}{" "}{end})", list) == "web-10 web-2 web-1 ");
  // Nested: each pod's containers.
  REQUIRE(print(R"({range .items[0:1]}{range .spec.containers[*]}[{.name}]{end}{end})", list) ==
          "[app][sidecar]");
}

TEST_CASE("jsonpath: filters and recursive descent") {
  json list = pod_list();
  REQUIRE(print(R"({.items[?(@.status.phase=="Running")].metadata.name})", list) == "web-10 web-1");
  REQUIRE(print(R"({.items[?(@.status.phase != 'Running')].metadata.name})", list) == "web-2");
  REQUIRE(print("{.items[?(@.status.containerStatuses[0].restartCount > 0)].metadata.name}",
                list) == "web-2 web-1");
  REQUIRE(print("{.items[?(@.status.containerStatuses[0].restartCount==3.0)].metadata.name}",
                list) == "web-2");
  REQUIRE(print("{.items[?(@.metadata.labels.app)].metadata.name}", list) == "web-10 web-2 web-1");
  REQUIRE(print("{.items[0]..image}", list) == "nginx:1.27 busybox");
}

TEST_CASE("jsonpath: a dot in a key is escaped") {
  json object = {{"metadata", {{"annotations", {{"kinda.dev/role", "primary"}}}}}};
  REQUIRE(print(R"({.metadata.annotations.kinda\.dev/role})", object) == "primary");
}

TEST_CASE("jsonpath: bad templates are errors that say why") {
  for (const char* bad : {"{.items[0]", "{end}", "{range .items[*]}{.a}", "{.items[}", R"({"open)",
                          "{.items[?(@.a ~ 1)]}"}) {
    INFO(bad);
    auto path = JsonPath::parse(bad);
    REQUIRE_FALSE(path);
    REQUIRE(path.error().message.find("error parsing jsonpath") == 0);
  }
}

TEST_CASE("custom-columns: headers, relaxed expressions, lists joined, <none>") {
  auto columns = parse_custom_columns(
      "NAME:.metadata.name,IP:{.status.podIP},IMAGES:spec.containers[*].image,NS:.metadata."
      "namespace");
  REQUIRE(columns);
  REQUIRE(columns->size() == 4);
  json list = pod_list();
  REQUIRE(render_custom_columns(*columns, {list["items"][0], list["items"][1]}, true) ==
          "NAME     IP            IMAGES               NS\n"
          "web-10   127.64.0.12   nginx:1.27,busybox   <none>\n"
          "web-2    127.64.0.4    nginx:1.27,busybox   <none>\n");
  REQUIRE(render_custom_columns(*columns, {list["items"][2]}, false) ==
          "web-1   127.64.0.3   nginx:1.27,busybox   <none>\n");
}

TEST_CASE("custom-columns: a column without an expression is kubectl's error") {
  auto columns = parse_custom_columns("NAME:.metadata.name,IP");
  REQUIRE_FALSE(columns);
  REQUIRE(columns.error().message ==
          "unexpected custom-columns spec: IP, expected <header>:<json-path-expr>");
}

TEST_CASE("sort-by: natural order for names, numbers by value, missing first") {
  json items = pod_list()["items"];
  std::vector<json> objects(items.begin(), items.end());
  auto by_name = sort_order(objects, ".metadata.name");
  REQUIRE(by_name);
  REQUIRE(*by_name == std::vector<size_t>{2, 1, 0});  // web-1, web-2, web-10
  auto by_restarts = sort_order(objects, "{.status.containerStatuses[0].restartCount}");
  REQUIRE(by_restarts);
  REQUIRE(*by_restarts == std::vector<size_t>{0, 2, 1});
  objects[1]["status"].erase("podIP");
  auto by_ip = sort_order(objects, ".status.podIP");
  REQUIRE(by_ip);
  REQUIRE(by_ip->front() == 1);
  auto nowhere = sort_order(objects, ".status.nothing");
  REQUIRE_FALSE(nowhere);
  REQUIRE(nowhere.error().message ==
          "couldn't find any field with path \".status.nothing\" in the list of objects");
}

TEST_CASE("natural_less compares runs of digits as numbers") {
  REQUIRE(natural_less("web-2", "web-10"));
  REQUIRE_FALSE(natural_less("web-10", "web-2"));
  REQUIRE(natural_less("a", "b"));
  REQUIRE(natural_less("web", "web-0"));
  REQUIRE_FALSE(natural_less("web-01", "web-1"));
  REQUIRE_FALSE(natural_less("web-1", "web-01"));
}
