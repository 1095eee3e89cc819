#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/labels.hpp"
#include "cli/apply.hpp"
#include "cli/args.hpp"
#include "cli/waiter.hpp"

using namespace kinda::cli;
using nlohmann::json;
using std::chrono::milliseconds;

namespace fs = std::filesystem;

TEST_CASE("resource arguments accept TYPE[,TYPE] NAME… and TYPE/NAME forms") {
  auto list = parse_resource_args({"po,sts"});
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].resource->plural == "pods");
  CHECK((*list)[0].name.empty());
  CHECK((*list)[1].resource->plural == "statefulsets");

  auto named = parse_resource_args({"pod", "redis-0", "redis-1"});
  REQUIRE(named.ok());
  REQUIRE(named->size() == 2);
  CHECK((*named)[1].name == "redis-1");

  auto slashed = parse_resource_args({"statefulset/redis", "svc/redis"});
  REQUIRE(slashed.ok());
  CHECK((*slashed)[0].resource->plural == "statefulsets");
  CHECK((*slashed)[1].resource->plural == "services");
  CHECK((*slashed)[1].name == "redis");
}

TEST_CASE("bad resource arguments say what is accepted") {
  auto unknown = parse_resource_args({"foos"});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("the server doesn't have a resource type \"foos\"") == 0);
  CHECK_FALSE(parse_resource_args({}).ok());
  CHECK_FALSE(parse_resource_args({"pod/a", "b"}).ok());
  CHECK_FALSE(parse_resource_args({"pod", "pod/a"}).ok());
  CHECK_FALSE(parse_resource_args({"pod/"}).ok());
}

TEST_CASE("durations read like Go's: 90s, 2m, 1h30m, 500ms") {
  CHECK(*parse_duration("90s") == milliseconds(90'000));
  CHECK(*parse_duration("2m") == milliseconds(120'000));
  CHECK(*parse_duration("1h30m") == milliseconds(5'400'000));
  CHECK(*parse_duration("500ms") == milliseconds(500));
  CHECK(*parse_duration("1.5s") == milliseconds(1'500));
  CHECK(*parse_duration("0") == milliseconds(0));
  CHECK_FALSE(parse_duration("30").ok());
  CHECK_FALSE(parse_duration("5d").ok());
  CHECK_FALSE(parse_duration("").ok());
  CHECK(parse_duration("x").error().message.find("30s") != std::string::npos);
}

TEST_CASE("label selectors given to -l are checked before anything is sent") {
  CHECK(kinda::api::Selector::parse("app=redis,tier!=cache").ok());
  CHECK(kinda::api::Selector::parse("env in (a,b),!legacy").ok());
  CHECK_FALSE(kinda::api::Selector::parse("app=(").ok());
}

TEST_CASE("--for accepts delete and condition=NAME[=VALUE]") {
  auto deleted = parse_wait_for("delete");
  REQUIRE(deleted.ok());
  CHECK(deleted->for_delete);
  auto ready = parse_wait_for("condition=Ready");
  REQUIRE(ready.ok());
  CHECK(ready->condition == "Ready");
  CHECK(ready->status == "True");
  CHECK(parse_wait_for("condition=Ready=false")->status == "False");
  CHECK_FALSE(parse_wait_for("jsonpath={.x}").ok());
  CHECK_FALSE(parse_wait_for("condition=").ok());
}

TEST_CASE("a wait is met by the condition's status, or by the object being gone or replaced") {
  WaitTarget target{kinda::api::find_resource("pods"), "default", "redis-0", "u1"};
  WaitCondition ready{false, "Ready", "True"};
  json pod = {{"metadata", {{"name", "redis-0"}, {"uid", "u1"}}},
              {"status", {{"conditions", {{{"type", "Ready"}, {"status", "False"}}}}}}};
  CHECK_FALSE(condition_met(pod, target, ready));
  pod["status"]["conditions"][0]["status"] = "True";
  CHECK(condition_met(pod, target, ready));
  CHECK_FALSE(condition_met(json(), target, ready));

  WaitCondition gone{true, "", ""};
  CHECK_FALSE(condition_met(pod, target, gone));
  CHECK(condition_met(json(), target, gone));
  pod["metadata"]["uid"] = "u2";
  CHECK(condition_met(pod, target, gone));
}

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("kinda-apply-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("apply reads a directory's manifests in name order and stdin") {
  TempDir dir;
  dir.write("b.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\n");
  dir.write("a.json", R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "redis"}})");
  dir.write("notes.txt", "not a manifest");
  std::istringstream in("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
  auto manifests = load_manifests({dir.path.string(), "-"}, in);
  REQUIRE(manifests.ok());
  REQUIRE(manifests->size() == 3);
  CHECK((*manifests)[0].resource->plural == "services");
  CHECK((*manifests)[1].resource->plural == "statefulsets");
  CHECK((*manifests)[2].source == "STDIN");
  CHECK((*manifests)[2].resource->plural == "namespaces");
}

TEST_CASE("apply refuses unknown kinds, missing names and bad names before changing anything") {
  TempDir dir;
  std::istringstream in;
  std::string foo = dir.write("foo.yaml", "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n");
  auto unknown = load_manifests({foo}, in);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message ==
        "resource mapping not found for name: \"x\" namespace: \"\" from \"" + foo +
            "\": no matches for kind \"Foo\" in version \"v1\"");

  std::string unnamed = dir.write("unnamed.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {}\n");
  auto missing = load_manifests({unnamed}, in);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("resource name may not be empty") != std::string::npos);

  std::string bad =
      dir.write("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: Redis_1\n");
  auto invalid = load_manifests({bad}, in);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().message.find("invalid name") != std::string::npos);

  auto absent = load_manifests({(dir.path / "nope.yaml").string()}, in);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.error().message.find("does not exist") != std::string::npos);
}

TEST_CASE("a manifest's namespace wins unless -n contradicts it") {
  Manifest m{json{{"metadata", {{"name", "a"}, {"namespace", "team"}}}}, "f.yaml",
             kinda::api::find_resource("pods")};
  CHECK(*namespace_for(m, "default", false) == "team");
  CHECK_FALSE(namespace_for(m, "other", true).ok());
  m.object["metadata"].erase("namespace");
  CHECK(*namespace_for(m, "other", true) == "other");
  Manifest ns{json{{"metadata", {{"name", "team"}}}}, "f.yaml",
              kinda::api::find_resource("namespaces")};
  CHECK(namespace_for(ns, "default", false)->empty());
}
