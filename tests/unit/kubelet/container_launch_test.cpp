#include <catch2/catch.hpp>

#include <algorithm>

#include "api/base64.hpp"
#include "kubelet/container_launch.hpp"

namespace {

using namespace kinda::kubelet;
using nlohmann::json;

json pod() {
  return {{"metadata", {{"name", "web-0"}, {"namespace", "default"}, {"uid", "u-1"}}},
          {"spec", {{"containers", json::array()}}}};
}

json container(json fields) {
  json c = {{"name", "app"}, {"image", "busybox"}, {"command", {"/bin/true"}}};
  c.update(fields);
  return c;
}

json configmap(json data) {
  return {{"metadata", {{"name", "app-config"}, {"namespace", "default"}}}, {"data", data}};
}

json secret(const std::map<std::string, std::string>& values) {
  json data = json::object();
  for (const auto& [k, v] : values) data[k] = kinda::api::base64_encode(v);
  return {{"metadata", {{"name", "db"}, {"namespace", "default"}}}, {"data", data}};
}

// A namespace holding the given objects, keyed "configmaps/app-config".
struct FakeStore {
  std::map<std::string, json> objects;
  std::vector<std::string> lookups;

  LaunchContext context() {
    LaunchContext ctx;
    ctx.pod_ip = "127.64.0.2";
    ctx.host_path = "/usr/bin:/bin";
    ctx.lookup = [this](const std::string& plural, const std::string& name) -> std::optional<json> {
      lookups.push_back(plural + "/" + name);
      auto it = objects.find(plural + "/" + name);
      if (it == objects.end()) return std::nullopt;
      return it->second;
    };
    return ctx;
  }
};

ContainerLaunch launched(FakeStore& store, const json& c) {
  auto result = build_launch(pod(), c, store.context());
  if (auto* problem = std::get_if<LaunchProblem>(&result)) FAIL(problem->message);
  return std::get<ContainerLaunch>(result);
}

LaunchProblem refused(FakeStore& store, const json& c) {
  auto result = build_launch(pod(), c, store.context());
  REQUIRE(std::holds_alternative<LaunchProblem>(result));
  return std::get<LaunchProblem>(result);
}

// The value of NAME in the launch environment, "<unset>" when absent.
std::string env_value(const ContainerLaunch& launch, const std::string& name) {
  for (const auto& entry : launch.env)
    if (entry.rfind(name + "=", 0) == 0) return entry.substr(name.size() + 1);
  return "<unset>";
}

size_t env_position(const ContainerLaunch& launch, const std::string& name) {
  for (size_t i = 0; i < launch.env.size(); ++i)
    if (launch.env[i].rfind(name + "=", 0) == 0) return i;
  return launch.env.size();
}

}  // namespace

TEST_CASE("configMapKeyRef and secretKeyRef read the pod's namespace, secrets decoded") {
  FakeStore store;
  store.objects["configmaps/app-config"] = configmap({{"color", "blue"}});
  store.objects["secrets/db"] = secret({{"password", "s3cr3t\nline2"}});
  auto launch = launched(
      store,
      container(
          {{"env",
            {{{"name", "COLOR"},
              {"valueFrom", {{"configMapKeyRef", {{"name", "app-config"}, {"key", "color"}}}}}},
             {{"name", "DB_PASSWORD"},
              {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "password"}}}}}}}}}));
  REQUIRE(env_value(launch, "COLOR") == "blue");
  REQUIRE(env_value(launch, "DB_PASSWORD") == "s3cr3t\nline2");
  REQUIRE(launch.warnings.empty());
}

TEST_CASE("a missing configmap, secret or key stops the start with the kubelet's message") {
  FakeStore store;
  store.objects["configmaps/app-config"] = configmap({{"color", "blue"}});
  store.objects["secrets/db"] = secret({{"user", "admin"}});
  auto ref = [](const char* source, const char* name, const char* key) {
    return container(
        {{"env", {{{"name", "V"}, {"valueFrom", {{source, {{"name", name}, {"key", key}}}}}}}}});
  };
  auto missing_map = refused(store, ref("configMapKeyRef", "other", "color"));
  REQUIRE(missing_map.reason == "CreateContainerConfigError");
  REQUIRE(missing_map.message == "configmap \"other\" not found");
  REQUIRE(refused(store, ref("configMapKeyRef", "app-config", "size")).message ==
          "couldn't find key size in ConfigMap default/app-config");
  REQUIRE(refused(store, ref("secretKeyRef", "nope", "password")).message ==
          "secret \"nope\" not found");
  REQUIRE(refused(store, ref("secretKeyRef", "db", "password")).message ==
          "couldn't find key password in Secret default/db");
}

TEST_CASE("optional references to missing objects or keys leave the variable unset") {
  FakeStore store;
  store.objects["configmaps/app-config"] = configmap({{"color", "blue"}});
  auto launch = launched(
      store,
      container({{"env",
                  {{{"name", "A"},
                    {"valueFrom",
                     {{"configMapKeyRef",
                       {{"name", "app-config"}, {"key", "size"}, {"optional", true}}}}}},
                   {{"name", "B"},
                    {"valueFrom",
                     {{"secretKeyRef", {{"name", "db"}, {"key", "x"}, {"optional", true}}}}}}}},
                 {"envFrom", {{{"secretRef", {{"name", "db"}, {"optional", true}}}}}}}));
  REQUIRE(env_value(launch, "A") == "<unset>");
  REQUIRE(env_value(launch, "B") == "<unset>");
}

TEST_CASE("envFrom brings every key, with its prefix, before env, which overrides it") {
  FakeStore store;
  store.objects["configmaps/app-config"] = configmap({{"color", "blue"}, {"size", "L"}});
  store.objects["secrets/db"] = secret({{"user", "admin"}, {"color", "red"}});
  auto launch = launched(
      store, container({{"envFrom",
                         {{{"configMapRef", {{"name", "app-config"}}}},
                          {{"secretRef", {{"name", "db"}}}, {"prefix", "DB_"}},
                          {{"secretRef", {{"name", "db"}}}}}},
                        {"env",
                         {{{"name", "size"}, {"value", "XL"}},
                          {{"name", "LABEL"}, {"value", "$(color)-$(size)-$(DB_user)"}}}}}));
  REQUIRE(env_value(launch, "color") == "red");  // the later envFrom source wins
  REQUIRE(env_value(launch, "size") == "XL");    // env overrides envFrom
  REQUIRE(env_value(launch, "DB_user") == "admin");
  REQUIRE(env_value(launch, "DB_color") == "red");
  REQUIRE(env_value(launch, "LABEL") == "red-XL-admin");
  // A variable keeps the place of its first definition.
  REQUIRE(env_position(launch, "color") < env_position(launch, "DB_color"));
  REQUIRE(env_position(launch, "size") < env_position(launch, "LABEL"));
}

TEST_CASE("each configmap and secret is read once per start") {
  FakeStore store;
  store.objects["configmaps/app-config"] = configmap({{"a", "1"}, {"b", "2"}});
  launched(
      store,
      container(
          {{"envFrom", {{{"configMapRef", {{"name", "app-config"}}}}}},
           {"env",
            {{{"name", "X"},
              {"valueFrom", {{"configMapKeyRef", {{"name", "app-config"}, {"key", "a"}}}}}},
             {{"name", "Y"},
              {"valueFrom", {{"configMapKeyRef", {{"name", "app-config"}, {"key", "b"}}}}}}}}}));
  REQUIRE(store.lookups == std::vector<std::string>{"configmaps/app-config"});
}

TEST_CASE("envFrom keys that are not variable names are skipped with a warning") {
  FakeStore store;
  store.objects["configmaps/app-config"] =
      configmap({{"1st", "x"}, {"ok", "y"}, {"..", "z"}, {"also.ok-1", "w"}});
  store.objects["secrets/db"] = secret({{"9lives", "cat"}});
  auto launch = launched(store, container({{"envFrom",
                                            {{{"configMapRef", {{"name", "app-config"}}}},
                                             {{"secretRef", {{"name", "db"}}}}}}}));
  REQUIRE(env_value(launch, "ok") == "y");
  REQUIRE(env_value(launch, "also.ok-1") == "w");
  REQUIRE(env_value(launch, "1st") == "<unset>");
  REQUIRE(launch.warnings ==
          std::vector<std::string>{
              "Keys [.., 1st] from the EnvFrom configMap default/app-config were skipped since "
              "they are considered invalid environment variable names.",
              "Keys [9lives] from the EnvFrom secret default/db were skipped since they are "
              "considered invalid environment variable names."});
  // A prefix can make a key valid.
  auto prefixed = launched(
      store, container({{"envFrom", {{{"secretRef", {{"name", "db"}}}, {"prefix", "CAT_"}}}}}));
  REQUIRE(env_value(prefixed, "CAT_9lives") == "cat");
  REQUIRE(prefixed.warnings.empty());
}

TEST_CASE("envFrom of a missing object is an error unless optional") {
  FakeStore store;
  REQUIRE(refused(store, container({{"envFrom", {{{"configMapRef", {{"name", "app-config"}}}}}}}))
              .message == "configmap \"app-config\" not found");
  REQUIRE(refused(store, container({{"envFrom", {{{"secretRef", {{"name", "db"}}}}}}})).message ==
          "secret \"db\" not found");
  LaunchContext no_lookup;
  no_lookup.images = nullptr;
  auto result =
      build_launch(pod(), container({{"envFrom", {{{"secretRef", {{"name", "db"}}}}}}}), no_lookup);
  REQUIRE(std::get<LaunchProblem>(result).message == "secret \"db\" not found");
}

TEST_CASE("values from configmaps are not expanded, literal values are") {
  FakeStore store;
  store.objects["configmaps/app-config"] = configmap({{"raw", "$(POD_NAME)"}});
  auto launch = launched(
      store,
      container({{"env",
                  {{{"name", "RAW"},
                    {"valueFrom", {{"configMapKeyRef", {{"name", "app-config"}, {"key", "raw"}}}}}},
                   {{"name", "EXPANDED"}, {"value", "$(POD_NAME)"}},
                   {{"name", "EMPTY"}, {"value", ""}}}},
                 {"args", {"$(RAW)", "$(EXPANDED)", "$$(EXPANDED)"}}}));
  REQUIRE(env_value(launch, "RAW") == "$(POD_NAME)");
  REQUIRE(env_value(launch, "EXPANDED") == "web-0");
  REQUIRE(env_value(launch, "EMPTY") == "");
  REQUIRE(launch.argv ==
          std::vector<std::string>{"/bin/true", "$(POD_NAME)", "web-0", "$(EXPANDED)"});
}

TEST_CASE("env expansion sees only variables defined before it") {
  FakeStore store;
  auto launch = launched(store, container({{"env",
                                            {{{"name", "A"}, {"value", "$(B)-x"}},
                                             {{"name", "B"}, {"value", "b"}},
                                             {{"name", "C"}, {"value", "$(B)-$(A)"}}}}}));
  REQUIRE(env_value(launch, "A") == "$(B)-x");
  REQUIRE(env_value(launch, "C") == "b-$(B)-x");
}

TEST_CASE("the downward API still fills fieldRef values") {
  FakeStore store;
  auto launch = launched(
      store,
      container(
          {{"env",
            {{{"name", "MY_NAME"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.name"}}}}}},
             {{"name", "MY_IP"},
              {"valueFrom", {{"fieldRef", {{"fieldPath", "status.podIP"}}}}}}}}}));
  REQUIRE(env_value(launch, "MY_NAME") == "web-0");
  REQUIRE(env_value(launch, "MY_IP") == "127.64.0.2");
}

TEST_CASE("a stored secret value that is not base64 is a config error naming the key") {
  FakeStore store;
  store.objects["secrets/db"] = {{"metadata", {{"name", "db"}}}, {"data", {{"password", "%%%"}}}};
  auto problem = refused(store, container({{"envFrom", {{{"secretRef", {{"name", "db"}}}}}}}));
  REQUIRE(problem.reason == "CreateContainerConfigError");
  REQUIRE(problem.message ==
          "secret default/db: data[password]: illegal base64 data at input byte 0");
}
