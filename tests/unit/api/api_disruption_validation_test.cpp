// DaemonSet and PodDisruptionBudget validation and defaults, in the API server's words and
// field paths.
#include <catch2/catch.hpp>

#include "api/defaults.hpp"
#include "api/validation.hpp"

using namespace kinda::api;
using nlohmann::json;

namespace {

json agent_set() {
  return {{"apiVersion", "apps/v1"},
          {"kind", "DaemonSet"},
          {"metadata", {{"name", "agent"}, {"namespace", "default"}}},
          {"spec",
           {{"selector", {{"matchLabels", {{"app", "agent"}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", "agent"}}}}},
              {"spec", {{"containers", {{{"name", "a"}, {"image", "busybox"}}}}}}}}}}};
}

json budget(json spec) {
  return {{"apiVersion", "policy/v1"},
          {"kind", "PodDisruptionBudget"},
          {"metadata", {{"name", "web"}, {"namespace", "default"}}},
          {"spec", spec}};
}

// "field: message" of each cause, after the API server's defaults.
std::vector<std::string> problems(const char* plural, json object) {
  apply_defaults(*find_resource(plural), object);
  std::vector<std::string> out;
  for (const auto& c : validate_object(*find_resource(plural), object))
    out.push_back(c.field + ": " + c.message);
  return out;
}

}  // namespace

TEST_CASE("a DaemonSet is defaulted to RollingUpdate 1/0 and 10 revisions") {
  json ds = agent_set();
  apply_defaults(*find_resource("daemonsets"), ds);
  CHECK(
      ds["spec"]["updateStrategy"] ==
      json{{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", 1}, {"maxSurge", 0}}}});
  CHECK(ds["spec"]["revisionHistoryLimit"] == 10);
  CHECK(ds["spec"]["template"]["spec"]["restartPolicy"] == "Always");
  CHECK(problems("daemonsets", agent_set()).empty());
}

TEST_CASE("DaemonSet validation names the fields") {
  json ds = agent_set();
  ds["spec"]["template"]["metadata"]["labels"]["app"] = "other";
  ds["spec"]["updateStrategy"] = {{"type", "RollingUpdate"},
                                  {"rollingUpdate", {{"maxUnavailable", 0}, {"maxSurge", "0%"}}}};
  ds["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure";
  auto found = problems("daemonsets", ds);
  CHECK_THAT(found, Catch::VectorContains(std::string(
                        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may "
                        "not be 0 when `maxSurge` is 0")));
  CHECK_THAT(found, Catch::VectorContains(std::string(
                        "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": "
                        "supported values: \"Always\"")));
  CHECK_THAT(found, Catch::VectorContains(std::string(
                        "spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: "
                        "`selector` does not match template `labels`")));

  json bad_type = agent_set();
  bad_type["spec"]["updateStrategy"] = {{"type", "Recreate"}};
  CHECK_THAT(problems("daemonsets", bad_type),
             Catch::VectorContains(std::string("spec.updateStrategy.type: Unsupported value: "
                                               "\"Recreate\": supported values: \"OnDelete\", "
                                               "\"RollingUpdate\"")));
  json over = agent_set();
  over["spec"]["updateStrategy"] = {{"type", "RollingUpdate"},
                                    {"rollingUpdate", {{"maxUnavailable", "120%"}}}};
  CHECK_THAT(problems("daemonsets", over),
             Catch::VectorContains(std::string("spec.updateStrategy.rollingUpdate.maxUnavailable: "
                                               "Invalid value: \"120%\": must not be greater "
                                               "than 100%")));
  json moved = agent_set();
  moved["spec"]["selector"]["matchLabels"]["tier"] = "x";
  auto update = validate_update(*find_resource("daemonsets"), agent_set(), moved);
  CHECK(std::any_of(update.begin(), update.end(), [](const FieldCause& c) {
    return c.field == "spec.selector" && c.message.find("field is immutable") != std::string::npos;
  }));
}

TEST_CASE("PodDisruptionBudget validation: one of the two, counts or percentages up to 100%") {
  CHECK(problems("poddisruptionbudgets", budget({{"minAvailable", 2}})).empty());
  CHECK(problems("poddisruptionbudgets", budget({{"maxUnavailable", "25%"}})).empty());
  auto both =
      problems("poddisruptionbudgets", budget({{"minAvailable", 1}, {"maxUnavailable", 1}}));
  REQUIRE(both.size() == 1);
  CHECK_THAT(both[0], Catch::EndsWith("minAvailable and maxUnavailable cannot be both set"));
  CHECK_THAT(problems("poddisruptionbudgets", budget({{"minAvailable", -1}})),
             Catch::VectorContains(std::string(
                 "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0")));
  CHECK_THAT(problems("poddisruptionbudgets", budget({{"maxUnavailable", "ten%"}})),
             Catch::VectorContains(std::string(
                 "spec.maxUnavailable: Invalid value: \"ten%\": a valid percent string must be a "
                 "numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
                 "validation is '[0-9]+%')")));
  CHECK_THAT(problems("poddisruptionbudgets",
                      budget({{"minAvailable", 1}, {"unhealthyPodEvictionPolicy", "Never"}})),
             Catch::VectorContains(std::string(
                 "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported "
                 "values: \"AlwaysAllow\", \"IfHealthyBudget\"")));
}
