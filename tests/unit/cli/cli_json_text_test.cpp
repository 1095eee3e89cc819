// The text-level JSON helpers must write exactly what nlohmann::json's dump(4) writes for the same
// value, since `kinda get -o json` of a list uses them instead of a parse and a dump.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/printers/json_text.hpp"
#include "cli/printers/printers.hpp"

using nlohmann::json;
using namespace kinda::cli;

namespace {

json sample_pod(const std::string& name) {
  return json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(",
    "labels":{"app":"web","a,b":"x:y"},"annotations":{}},
    "spec":{"containers":[{"name":"c","command":["sh","-c","echo \"}]\" \\ done"],"env":[]}],
      "terminationGracePeriodSeconds":30,"ratio":0.25,"big":-12345678901234,"on":true,"off":false,
      "nothing":null,"nested":[[],[{}],[1,[2,[3]]]]},
    "status":{"message":"caf\u00e9 \u2603 tab\tline\nend","podIP":"127.64.0.7"}})");
}

std::string indented(const json& value, int depth) {
  std::string out;
  append_indented(value.dump(), 4, depth, out);
  return out;
}

}  // namespace

TEST_CASE("append_indented writes dump(4) from compact text") {
  for (const json& value : {sample_pod("web-0"), json::array(), json::object(), json(7), json("s"),
                            json::parse(R"([{"a":[]},{"b":{}},[[]]])")})
    CHECK(indented(value, 0) == value.dump(4));
}

TEST_CASE("append_indented skips whitespace between tokens but not inside strings") {
  const std::string spaced = "{ \"a\" : [ 1 , 2 ] ,\n \"b\" : \"x  y\" , \"c\" : { } }";
  std::string out;
  append_indented(spaced, 4, 0, out);
  CHECK(out == json::parse(spaced).dump(4));
}

TEST_CASE("member_text and array_elements find values without parsing") {
  const json list = {{"apiVersion", "v1"},
                     {"items", {sample_pod("web-0"), sample_pod("web-1")}},
                     {"kind", "PodList"},
                     {"metadata", {{"resourceVersion", "42"}}}};
  const std::string text = list.dump();
  auto items = member_text(text, "items");
  REQUIRE(items);
  auto elements = array_elements(*items);
  REQUIRE(elements);
  REQUIRE(elements->size() == 2);
  CHECK(json::parse((*elements)[1]) == sample_pod("web-1"));
  CHECK(member_text(text, "kind") == std::optional<std::string_view>("\"PodList\""));
  CHECK_FALSE(member_text(text, "missing"));
  CHECK_FALSE(member_text("[1]", "items"));
  CHECK_FALSE(array_elements("{}"));
  CHECK(array_elements("[]")->empty());
}

TEST_CASE("format_json_list equals format_json of as_list") {
  for (const std::vector<json>& items :
       {std::vector<json>{}, {sample_pod("web-0")}, {sample_pod("web-0"), sample_pod("web-1")}}) {
    const json reply = {{"apiVersion", "apps/v1"},
                        {"items", items},
                        {"kind", "StatefulSetList"},
                        {"metadata", {{"resourceVersion", "9"}}}};
    auto fast = format_json_list(reply.dump());
    REQUIRE(fast);
    CHECK(*fast == format_json(as_list(items)));
  }
  CHECK_FALSE(format_json_list(R"({"kind":"Status"})"));
}
