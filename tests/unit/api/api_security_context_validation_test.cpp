#include <catch2/catch.hpp>

#include <string>

#include "api/defaults.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

namespace {

using namespace kinda::api;
using nlohmann::json;

std::vector<std::string> security_causes(json pod_sc, json container_sc) {
  json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", "p"}, {"namespace", "default"}}},
              {"spec",
               {{"securityContext", pod_sc},
                {"containers",
                 {{{"name", "app"}, {"image", "python"}, {"securityContext", container_sc}}}}}}};
  apply_defaults(*find_resource("pods"), pod);
  std::vector<std::string> out;
  for (const auto& c : validate_object(*find_resource("pods"), pod))
    out.push_back(c.field + ": " + c.message);
  return out;
}

}  // namespace

TEST_CASE("valid securityContexts pass") {
  CHECK(security_causes({{"runAsUser", 1000},
                         {"runAsGroup", 3000},
                         {"fsGroup", 2000},
                         {"supplementalGroups", {4000}},
                         {"runAsNonRoot", true},
                         {"fsGroupChangePolicy", "OnRootMismatch"}},
                        {{"runAsUser", 0},
                         {"privileged", true},
                         {"capabilities", {{"add", {"NET_ADMIN"}}, {"drop", {"ALL"}}}},
                         {"procMount", "Default"}})
            .empty());
  CHECK(security_causes(json::object(), {{"allowPrivilegeEscalation", false},
                                         {"capabilities", {{"add", {"SYS_ADMIN"}}}}})
            .empty());  // as the API server: only the exact name CAP_SYS_ADMIN is refused
}

TEST_CASE("ids out of range, unknown policies and escalation conflicts name their fields") {
  auto causes = security_causes({{"runAsUser", -1},
                                 {"runAsGroup", 2147483648LL},
                                 {"supplementalGroups", {1, -2}},
                                 {"fsGroup", -3},
                                 {"fsGroupChangePolicy", "Sometimes"}},
                                {{"runAsUser", -4},
                                 {"procMount", "Odd"},
                                 {"allowPrivilegeEscalation", false},
                                 {"privileged", true},
                                 {"capabilities", {{"add", {"CAP_SYS_ADMIN"}}}}});
  const std::string range = ": must be between 0 and 2147483647, inclusive";
  auto has = [&](const std::string& line) {
    return std::find(causes.begin(), causes.end(), line) != causes.end();
  };
  CHECK(has("spec.securityContext.runAsUser: Invalid value: -1" + range));
  CHECK(has("spec.securityContext.runAsGroup: Invalid value: 2147483648" + range));
  CHECK(has("spec.securityContext.supplementalGroups[1]: Invalid value: -2" + range));
  CHECK(has("spec.securityContext.fsGroup: Invalid value: -3" + range));
  CHECK(
      has("spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": "
          "supported values: \"Always\", \"OnRootMismatch\""));
  CHECK(has("spec.containers[0].securityContext.runAsUser: Invalid value: -4" + range));
  CHECK(
      has("spec.containers[0].securityContext.procMount: Unsupported value: \"Odd\": "
          "supported values: \"Default\", \"Unmasked\""));
  auto conflict = [&](const std::string& tail) {
    return std::any_of(causes.begin(), causes.end(), [&](const std::string& line) {
      return line.rfind("spec.containers[0].securityContext: Invalid value: ", 0) == 0 &&
             line.size() > tail.size() &&
             line.compare(line.size() - tail.size(), tail.size(), tail) == 0;
    });
  };
  CHECK(conflict("cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
  CHECK(conflict(
      "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
  CHECK(causes.size() == 9);
}
