#include <catch2/catch.hpp>

#include "api/manifest.hpp"
#include "api/yaml_emit.hpp"

using kinda::api::parse_manifests;
using kinda::api::to_yaml;
using nlohmann::json;

TEST_CASE("multi-document YAML yields one object per non-empty document") {
  auto docs = parse_manifests(R"(---
apiVersion: v1
kind: Service
metadata:
  name: redis
---
# only a comment
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  replicas: 3
...
)",
                              "redis.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0]["kind"] == "Service");
  CHECK((*docs)[1]["spec"]["replicas"] == 3);
}

TEST_CASE("a List expands to its items, nested Lists included") {
  auto docs = parse_manifests(R"(apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Pod, metadata: {name: a}}
- apiVersion: v1
  kind: List
  items:
  - {apiVersion: v1, kind: Pod, metadata: {name: b}}
)",
                              "list.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0]["metadata"]["name"] == "a");
  CHECK((*docs)[1]["metadata"]["name"] == "b");
}

TEST_CASE("YAML scalars are typed the way Kubernetes types them") {
  auto docs = parse_manifests(R"(kind: ConfigMap
data:
  int: 3
  negative: -12
  hex: 0x1f
  octal: 0755
  float: 1.5
  exp: 1e3
  yes_bool: yes
  bool: true
  off: off
  tilde: ~
  null_word: null
  empty:
  quoted_int: "3"
  quoted_bool: 'true'
  text: redis-server --port 6379
  version: 1.2.3
  colon: a:b
  literal: |
    line one
    line two
)",
                              "typing.yaml");
  REQUIRE(docs.ok());
  const json& d = (*docs)[0]["data"];
  CHECK(d["int"].is_number_integer());
  CHECK(d["int"] == 3);
  CHECK(d["negative"] == -12);
  CHECK(d["hex"] == 31);
  CHECK(d["octal"] == 493);
  CHECK(d["float"] == 1.5);
  CHECK(d["exp"] == 1000.0);
  CHECK(d["yes_bool"] == true);
  CHECK(d["bool"] == true);
  CHECK(d["off"] == false);
  CHECK(d["tilde"].is_null());
  CHECK(d["null_word"].is_null());
  CHECK(d["empty"].is_null());
  CHECK(d["quoted_int"] == "3");
  CHECK(d["quoted_bool"] == "true");
  CHECK(d["text"] == "redis-server --port 6379");
  CHECK(d["version"] == "1.2.3");
  CHECK(d["colon"] == "a:b");
  CHECK(d["literal"] == "line one\nline two\n");
}

TEST_CASE("malformed YAML is one error naming the source and the line") {
  auto docs = parse_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n", "bad.yaml");
  REQUIRE_FALSE(docs.ok());
  const std::string& message = docs.error().message;
  CHECK(message.rfind("error parsing bad.yaml: yaml: line ", 0) == 0);
  CHECK(message.find('\n') == std::string::npos);

  auto indented = parse_manifests("a: 1\nb: 2\n  c: 3\nd: 4\n", "indent.yaml");
  REQUIRE_FALSE(indented.ok());
  CHECK(indented.error().message.rfind("error parsing indent.yaml: yaml: line 3: ", 0) == 0);
}

TEST_CASE("a document that is not a mapping is rejected") {
  auto docs = parse_manifests("- just\n- a list\n", "seq.yaml");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.error().message.find("seq.yaml") != std::string::npos);
}

TEST_CASE("JSON input keeps exact numbers and reports the failing line") {
  auto docs = parse_manifests(R"(  {"apiVersion": "v1", "kind": "Pod",
   "metadata": {"name": "big"}, "spec": {"n": 9007199254740993}})",
                              "pod.json");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  CHECK((*docs)[0]["spec"]["n"].get<int64_t>() == 9007199254740993LL);

  auto list = parse_manifests(
      R"([{"kind": "Pod"}, {"kind": "List", "items": [{"kind": "Service"}]}])", "two.json");
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[1]["kind"] == "Service");

  auto bad = parse_manifests("{\n  \"kind\": \"Pod\",\n  \"metadata\": {name}\n}", "bad.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("error parsing bad.json: json: line 3: ", 0) == 0);
}

TEST_CASE("to_yaml prints kubectl-style block YAML") {
  json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", "redis-0"}, {"labels", {{"app", "redis"}}}}},
              {"spec",
               {{"containers",
                 {{{"name", "redis"},
                   {"args", {"--port", "6379"}},
                   {"ports", {{{"containerPort", 6379}}}}}}},
                {"volumes", json::array()},
                {"nodeSelector", json::object()}}}};
  CHECK(to_yaml(pod) == R"(apiVersion: v1
kind: Pod
metadata:
  labels:
    app: redis
  name: redis-0
spec:
  containers:
  - args:
    - --port
    - "6379"
    name: redis
    ports:
    - containerPort: 6379
  nodeSelector: {}
  volumes: []
)");
}

TEST_CASE("to_yaml quotes strings that would read back as another type") {
  json data = {{"a", "3"},          {"b", "true"}, {"c", "yes"},        {"d", ""},
               {"e", "null"},       {"f", "1.5"},  {"g", "*"},          {"h", "a: b"},
               {"i", "- x"},        {"j", "it's"}, {"k", " lead"},      {"l", "1:20"},
               {"m", "plain text"}, {"n", "x"},    {"tab", "tab\there"}};
  std::string yaml = to_yaml(data);
  CHECK(yaml ==
        "a: \"3\"\nb: \"true\"\nc: \"yes\"\nd: \"\"\ne: \"null\"\nf: \"1.5\"\ng: '*'\n"
        "h: 'a: b'\ni: '- x'\nj: it's\nk: ' lead'\nl: \"1:20\"\nm: plain text\n"
        "\"n\": x\ntab: \"tab\\there\"\n");
}

TEST_CASE("to_yaml output parses back to the same value") {
  json original = {
      {"kind", "ConfigMap"},
      {"data",
       {{"script", "#!/bin/sh\necho hi\n"},
        {"no_newline", "a\nb"},
        {"keep", "x\n\n"},
        {"indented", "  first\nsecond\n"},
        {"trailing_space", "a \nb"},
        {"quote\"key", "v"},
        {"3", "number key"}}},
      {"numbers", {1, -2, 1.5, 1e6, 0.0001, 12345678901234LL}},
      {"flags", {true, false, nullptr}},
      {"nested", {{{1, 2}, {json::object()}}}},
      {"unicode", "héllo ✓"},
  };
  std::string yaml = to_yaml(original);
  auto parsed = parse_manifests(yaml, "roundtrip.yaml");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  CHECK((*parsed)[0] == original);
  CHECK(yaml.find("script: |\n    #!/bin/sh\n    echo hi\n") != std::string::npos);
  CHECK(yaml.find("no_newline: |-\n") != std::string::npos);
}
