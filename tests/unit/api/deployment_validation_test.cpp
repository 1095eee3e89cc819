// Deployments and ReplicaSets through validate_object/validate_update and the defaults: the API
// server's field paths and messages.
#include <catch2/catch.hpp>

#include "api/defaults.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

using namespace kinda::api;
using nlohmann::json;

namespace {

json deployment_object(json strategy = json()) {
  json d = {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "web"}, {"namespace", "default"}}},
            {"spec",
             {{"selector", {{"matchLabels", {{"app", "web"}}}}},
              {"template",
               {{"metadata", {{"labels", {{"app", "web"}}}}},
                {"spec", {{"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}}}}}};
  if (!strategy.is_null()) d["spec"]["strategy"] = strategy;
  apply_defaults(*find_resource("deployments"), d);
  return d;
}

std::string causes_text(const std::vector<kinda::FieldCause>& causes) {
  std::string out;
  for (const auto& c : causes) out += c.field + ": " + c.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("a Deployment is defaulted as SetDefaults_Deployment does") {
  json d = deployment_object();
  CHECK(d["spec"]["replicas"] == 1);
  CHECK(d["spec"]["strategy"] ==
        json{{"type", "RollingUpdate"},
             {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}});
  CHECK(d["spec"]["revisionHistoryLimit"] == 10);
  CHECK(d["spec"]["progressDeadlineSeconds"] == 600);
  CHECK(d["spec"]["template"]["spec"]["restartPolicy"] == "Always");
  CHECK(validate_object(*find_resource("deployments"), d).empty());
}

TEST_CASE("Deployment validation names the field as the API server does") {
  const auto& r = *find_resource("deployments");
  json d = deployment_object(
      {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxSurge", 0}, {"maxUnavailable", "0%"}}}});
  CHECK(causes_text(validate_object(r, d)) ==
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when "
        "`maxSurge` is 0\n");
  d = deployment_object({{"type", "RollingUpdate"},
                         {"rollingUpdate", {{"maxSurge", "x%"}, {"maxUnavailable", "101%"}}}});
  auto text = causes_text(validate_object(r, d));
  CHECK(text.find("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x%\": a valid percent") !=
        std::string::npos);
  CHECK(text.find("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not "
                  "be greater than 100%") != std::string::npos);
  d = deployment_object({{"type", "Recreate"}, {"rollingUpdate", {{"maxSurge", 1}}}});
  CHECK(causes_text(validate_object(r, d)) ==
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'\n");
  d = deployment_object();
  d["spec"]["template"]["metadata"]["labels"]["app"] = "other";
  CHECK(causes_text(validate_object(r, d)) ==
        "spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not "
        "match template `labels`\n");
  d = deployment_object();
  d["spec"]["minReadySeconds"] = 700;
  CHECK(causes_text(validate_object(r, d)) ==
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds\n");
  json moved = deployment_object();
  moved["spec"]["selector"]["matchLabels"]["tier"] = "x";
  moved["spec"]["template"]["metadata"]["labels"]["tier"] = "x";
  CHECK(causes_text(validate_update(r, deployment_object(), moved)) ==
        "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"x\"}}: field "
        "is immutable\n");
}

TEST_CASE("ReplicaSet validation: selector, replicas, restartPolicy") {
  const auto& r = *find_resource("replicasets");
  json rs = deployment_object();
  rs["kind"] = "ReplicaSet";
  rs["spec"].erase("strategy");
  rs["spec"]["replicas"] = -1;
  rs["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure";
  auto text = causes_text(validate_object(r, rs));
  CHECK(text.find("spec.replicas: Invalid value: -1: must be greater than or equal to 0") !=
        std::string::npos);
  CHECK(text.find("spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported "
                  "values: \"Always\"") != std::string::npos);
  rs = deployment_object();
  rs["spec"].erase("selector");
  CHECK(causes_text(validate_object(r, rs)).find("spec.selector: Required value") !=
        std::string::npos);
}
