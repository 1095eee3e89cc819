#include <catch2/catch.hpp>

#include <string>

#include "api/defaults.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

namespace {

using kinda::FieldCause;
using namespace kinda::api;
using nlohmann::json;

json container(json fields = json::object()) {
  json c = {{"name", "app"}, {"image", "redis:7"}};
  c.update(fields);
  return c;
}

json pod_with(json spec) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", "p"}, {"namespace", "default"}}},
          {"spec", spec}};
}

json statefulset_with(json pod_spec) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "StatefulSet"},
          {"metadata", {{"name", "web"}, {"namespace", "default"}}},
          {"spec",
           {{"serviceName", "web"},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"template", {{"metadata", {{"labels", {{"app", "web"}}}}}, {"spec", pod_spec}}}}}};
}

std::vector<std::string> cause_lines(const char* plural, json object) {
  apply_defaults(*find_resource(plural), object);
  std::vector<std::string> out;
  for (const auto& c : validate_object(*find_resource(plural), object))
    out.push_back(c.field + ": " + c.message);
  return out;
}

// Causes for a pod whose only container has `fields` added.
std::vector<std::string> container_causes(json fields) {
  return cause_lines("pods", pod_with({{"containers", {container(std::move(fields))}}}));
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("a pod with a plain container is valid") {
  REQUIRE(container_causes(json::object()).empty());
  REQUIRE(container_causes({{"ports", {{{"containerPort", 6379}, {"name", "redis"}}}},
                            {"env", {{{"name", "MODE"}, {"value", "primary"}}}},
                            {"resources",
                             {{"limits", {{"cpu", "500m"}, {"memory", "128Mi"}}},
                              {"requests", {{"cpu", 0.25}, {"memory", "64Mi"}}}}},
                            {"workingDir", "/data"}})
              .empty());
}

TEST_CASE("containers are required and need a name and an image") {
  REQUIRE(cause_lines("pods", pod_with({{"containers", json::array()}})) ==
          Lines{"spec.containers: Required value"});
  REQUIRE(cause_lines("pods", pod_with({{"containers", {{{"image", "x"}}}}})) ==
          Lines{"spec.containers[0].name: Required value"});
  REQUIRE(cause_lines("pods", pod_with({{"containers", {{{"name", "app"}}}}})) ==
          Lines{"spec.containers[0].image: Required value"});
  REQUIRE(container_causes({{"image", " redis"}}) ==
          Lines{"spec.containers[0].image: Invalid value: \" redis\": must not have leading or "
                "trailing whitespace"});
  auto bad_name = cause_lines("pods", pod_with({{"containers", {container({{"name", "App_1"}})}}}));
  REQUIRE(bad_name.size() == 1);
  REQUIRE(bad_name[0].rfind("spec.containers[0].name: Invalid value: \"App_1\": a lowercase RFC "
                            "1123 label",
                            0) == 0);
}

TEST_CASE("container names are unique across containers and init containers") {
  auto causes = cause_lines(
      "pods", pod_with({{"containers", {container(), container()}},
                        {"initContainers",
                         {container({{"name", "setup"}}), container({{"name", "app"}})}}}));
  REQUIRE(causes == Lines{"spec.containers[1].name: Duplicate value: \"app\"",
                          "spec.initContainers[1].name: Duplicate value: \"app\""});
}

TEST_CASE("statefulset templates get the spec.template.spec prefix") {
  auto causes =
      cause_lines("statefulsets", statefulset_with({{"containers", {{{"name", "web"}}}}}));
  REQUIRE(causes == Lines{"spec.template.spec.containers[0].image: Required value"});
  auto port = cause_lines(
      "statefulsets",
      statefulset_with({{"containers", {container({{"ports", {{{"containerPort", 70000}}}}})}}}));
  REQUIRE(port == Lines{"spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "
                        "70000: must be between 1 and 65535, inclusive"});
}

TEST_CASE("container ports: number, host port, protocol and unique IANA names") {
  auto causes = container_causes(
      {{"ports",
        {{{"name", "http"}},
         {{"containerPort", 8080}, {"name", "http"}, {"hostPort", -1}, {"protocol", "tcp"}},
         {{"containerPort", 9090}, {"name", "Metrics--Port-Long"}}}}});
  REQUIRE(causes ==
          Lines{"spec.containers[0].ports[0].containerPort: Required value",
                "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
                "spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and "
                "65535, inclusive",
                "spec.containers[0].ports[1].protocol: Unsupported value: \"tcp\": supported "
                "values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[0].ports[2].name: Invalid value: \"Metrics--Port-Long\": must be "
                "no more than 15 characters",
                "spec.containers[0].ports[2].name: Invalid value: \"Metrics--Port-Long\": must "
                "contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "spec.containers[0].ports[2].name: Invalid value: \"Metrics--Port-Long\": must not "
                "contain consecutive hyphens"});
  REQUIRE(container_causes({{"ports", {{{"containerPort", 53}, {"name", "-53"}}}}}) ==
          Lines{"spec.containers[0].ports[0].name: Invalid value: \"-53\": must contain at least "
                "one letter (a-z)",
                "spec.containers[0].ports[0].name: Invalid value: \"-53\": must not begin or end "
                "with a hyphen"});
}

TEST_CASE("env names are valid variable names and each has one value source") {
  auto causes = container_causes(
      {{"env",
        {{{"value", "x"}},
         {{"name", "1ST"}, {"value", "x"}},
         {{"name", "A"},
          {"value", "x"},
          {"valueFrom", {{"configMapKeyRef", {{"name", "c"}, {"key", "k"}}}}}},
         {{"name", "B"}, {"valueFrom", json::object()}},
         {{"name", "C"},
          {"valueFrom",
           {{"configMapKeyRef", {{"name", "c"}, {"key", "k"}}},
            {"secretKeyRef", {{"name", "s"}, {"key", "k"}}}}}},
         {{"name", "D"}, {"valueFrom", {{"secretKeyRef", {{"key", "bad key"}}}}}},
         {{"name", "E"}, {"value", 8080}},
         {{"name", "my.var-name"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "spec.host"}}}}}}}}});
  REQUIRE(causes.size() == 9);
  REQUIRE(causes[0] == "spec.containers[0].env[0].name: Required value");
  REQUIRE(causes[1].rfind("spec.containers[0].env[1].name: Invalid value: \"1ST\": a valid "
                          "environment variable name must consist of alphabetic characters, "
                          "digits, '_', '-', or '.', and must not start with a digit",
                          0) == 0);
  REQUIRE(causes[2] ==
          "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be "
          "specified when `value` is not empty");
  REQUIRE(causes[3] ==
          "spec.containers[0].env[3].valueFrom: Invalid value: \"\": must specify "
          "one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
          "`secretKeyRef`");
  REQUIRE(causes[4] ==
          "spec.containers[0].env[4].valueFrom: Invalid value: \"\": may not have "
          "more than one field specified at a time");
  REQUIRE(causes[5] == "spec.containers[0].env[5].valueFrom.secretKeyRef.name: Required value");
  REQUIRE(causes[6].rfind("spec.containers[0].env[5].valueFrom.secretKeyRef.key: Invalid value: "
                          "\"bad key\": a valid config key",
                          0) == 0);
  REQUIRE(causes[7] ==
          "spec.containers[0].env[6].value: Invalid value: 8080: must be a string (quote it in "
          "YAML)");
  REQUIRE(causes[8].rfind("spec.containers[0].env[7].valueFrom.fieldRef.fieldPath: Unsupported "
                          "value: \"spec.host\"",
                          0) == 0);
}

TEST_CASE("envFrom entries name exactly one configmap or secret and a valid prefix") {
  auto causes =
      container_causes({{"envFrom",
                         {{{"configMapRef", {{"name", "app-config"}}}, {"prefix", "APP_"}},
                          {{"prefix", "9X"}},
                          {{"configMapRef", {{"name", "a"}}}, {"secretRef", {{"name", "b"}}}},
                          {{"secretRef", {{"name", "Bad_Name"}, {"optional", "yes"}}}}}}});
  REQUIRE(causes.size() == 5);
  REQUIRE(causes[0].rfind("spec.containers[0].envFrom[1].prefix: Invalid value: \"9X\"", 0) == 0);
  REQUIRE(causes[1] ==
          "spec.containers[0].envFrom[1]: Invalid value: \"\": must specify one of: "
          "`configMapRef` or `secretRef`");
  REQUIRE(causes[2] ==
          "spec.containers[0].envFrom[2]: Invalid value: \"\": may not have more "
          "than one field specified at a time");
  REQUIRE(causes[3].rfind("spec.containers[0].envFrom[3].secretRef.name: Invalid value: "
                          "\"Bad_Name\": a lowercase RFC 1123 subdomain",
                          0) == 0);
  REQUIRE(causes[4] ==
          "spec.containers[0].envFrom[3].secretRef.optional: Invalid value: \"yes\": must be a "
          "boolean");
}

TEST_CASE("probes have exactly one handler with its required fields") {
  REQUIRE(container_causes({{"readinessProbe", {{"periodSeconds", 5}}}}) ==
          Lines{"spec.containers[0].readinessProbe: Required value: must specify a handler type"});
  REQUIRE(
      container_causes({{"livenessProbe",
                         {{"exec", {{"command", {"true"}}}}, {"tcpSocket", {{"port", 80}}}}}}) ==
      Lines{"spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than "
            "1 handler type"});
  REQUIRE(container_causes({{"readinessProbe", {{"exec", {{"command", json::array()}}}}}}) ==
          Lines{"spec.containers[0].readinessProbe.exec.command: Required value"});
  REQUIRE(container_causes({{"readinessProbe", {{"httpGet", {{"path", "/"}}}}}}) ==
          Lines{"spec.containers[0].readinessProbe.httpGet.port: Required value"});
  REQUIRE(container_causes({{"readinessProbe", {{"tcpSocket", {{"port", 0}}}}}}) ==
          Lines{"spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 0: must be "
                "between 1 and 65535, inclusive"});
  REQUIRE(container_causes({{"readinessProbe", {{"tcpSocket", {{"port", "8080"}}}}}}) ==
          Lines{"spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: \"8080\": must "
                "contain at least one letter (a-z)"});
  REQUIRE(container_causes({{"readinessProbe", {{"httpGet", {{"port", "http"}}}}}}).empty());
  REQUIRE(
      container_causes({{"readinessProbe", {{"httpGet", {{"port", 8443}, {"scheme", "HTTPS"}}}}}})
          .empty());
  REQUIRE(container_causes({{"livenessProbe", {{"httpGet", {{"port", 80}, {"scheme", "FTP"}}}}}}) ==
          Lines{"spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": "
                "supported values: \"HTTP\", \"HTTPS\""});
  REQUIRE(container_causes({{"readinessProbe", {{"grpc", {{"port", 9000}}}}}}) ==
          Lines{"spec.containers[0].readinessProbe.grpc: Forbidden: kinda does not support grpc "
                "probes; use exec, httpGet or tcpSocket"});
}

TEST_CASE("probe timings are positive and liveness/startup need one success") {
  auto causes = container_causes(
      {{"livenessProbe",
        {{"exec", {{"command", {"true"}}}},
         {"periodSeconds", 0},
         {"timeoutSeconds", 0},
         {"failureThreshold", 0},
         {"successThreshold", 2},
         {"initialDelaySeconds", -1}}},
       {"startupProbe", {{"tcpSocket", {{"port", 80}}}, {"successThreshold", 3}}},
       {"readinessProbe", {{"tcpSocket", {{"port", 80}}}, {"successThreshold", 3}}}});
  REQUIRE(causes ==
          Lines{"spec.containers[0].livenessProbe.periodSeconds: Invalid value: 0: must be greater "
                "than or equal to 1",
                "spec.containers[0].livenessProbe.timeoutSeconds: Invalid value: 0: must be "
                "greater than or equal to 1",
                "spec.containers[0].livenessProbe.failureThreshold: Invalid value: 0: must be "
                "greater than or equal to 1",
                "spec.containers[0].livenessProbe.initialDelaySeconds: Invalid value: -1: must be "
                "greater than or equal to 0",
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
                "spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"});
}

TEST_CASE("init containers may not have probes or lifecycle hooks, nor be sidecars") {
  auto causes = cause_lines(
      "pods", pod_with({{"containers", {container()}},
                        {"initContainers",
                         {container({{"name", "init"},
                                     {"readinessProbe", {{"tcpSocket", {{"port", 80}}}}},
                                     {"lifecycle", {{"preStop", {{"sleep", {{"seconds", 1}}}}}}},
                                     {"restartPolicy", "Always"}})}}}));
  REQUIRE(causes ==
          Lines{"spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers "
                "without restartPolicy=Always",
                "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init "
                "containers without restartPolicy=Always",
                "spec.initContainers[0].restartPolicy: Forbidden: kinda does not support sidecar "
                "containers (init containers with restartPolicy: Always); run the sidecar as a "
                "regular container instead"});
  REQUIRE(container_causes({{"restartPolicy", "Always"}}) ==
          Lines{"spec.containers[0].restartPolicy: Forbidden: may not be set for non-init "
                "containers"});
}

TEST_CASE("lifecycle hooks have exactly one handler; sleep stays within the grace period") {
  REQUIRE(container_causes({{"lifecycle", {{"preStop", json::object()}}}}) ==
          Lines{"spec.containers[0].lifecycle.preStop: Required value: must specify a handler "
                "type"});
  REQUIRE(container_causes(
              {{"lifecycle",
                {{"postStart", {{"exec", {{"command", {"x"}}}}, {"httpGet", {{"port", 80}}}}}}}}) ==
          Lines{"spec.containers[0].lifecycle.postStart.httpGet: Forbidden: may not specify more "
                "than 1 handler type"});
  REQUIRE(container_causes({{"lifecycle", {{"preStop", {{"sleep", {{"seconds", 31}}}}}}}}) ==
          Lines{"spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: 31: must be "
                "non-negative and less than terminationGracePeriodSeconds (30)"});
  REQUIRE(container_causes({{"lifecycle", {{"preStop", {{"sleep", {{"seconds", 5}}}}}}}}).empty());
}

TEST_CASE("volume mounts name a pod volume and a unique absolute path") {
  json spec = {{"volumes", {{{"name", "data"}, {"emptyDir", json::object()}}}},
               {"containers",
                {container({{"volumeMounts",
                             {{{"name", "data"}, {"mountPath", "/data"}},
                              {{"name", "data"}, {"mountPath", "/data"}},
                              {{"name", "cache"}, {"mountPath", "cache"}},
                              {{"name", "data"}}}}})}}};
  REQUIRE(cause_lines("pods", pod_with(spec)) ==
          Lines{"spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be "
                "unique",
                "spec.containers[0].volumeMounts[2].name: Not found: \"cache\"",
                "spec.containers[0].volumeMounts[2].mountPath: Invalid value: \"cache\": must be "
                "an absolute path",
                "spec.containers[0].volumeMounts[3].mountPath: Required value"});
}

TEST_CASE(
    "resources: only cpu, memory and ephemeral-storage, valid quantities, requests <= "
    "limits") {
  REQUIRE(container_causes({{"resources", {{"limits", {{"nvidia.com/gpu", 1}}}}}}) ==
          Lines{"spec.containers[0].resources.limits[nvidia.com/gpu]: Unsupported value: "
                "\"nvidia.com/gpu\": supported values: \"cpu\", \"ephemeral-storage\", \"memory\" "
                "(kinda does not support other resources)"});
  REQUIRE(container_causes({{"resources", {{"requests", {{"memory", "lots"}, {"cpu", "-1"}}}}}}) ==
          Lines{"spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be "
                "greater than or equal to 0",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": "
                "quantities must match the regular expression "
                "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"});
  REQUIRE(container_causes({{"resources",
                             {{"limits", {{"cpu", "500m"}, {"memory", "1Gi"}}},
                              {"requests", {{"cpu", 1}, {"memory", "1024Mi"}}}}}}) ==
          Lines{"spec.containers[0].resources.requests: Invalid value: \"1\": must be less than "
                "or equal to cpu limit of 500m"});
}

TEST_CASE("restartPolicy, grace period and workingDir") {
  REQUIRE(cause_lines("pods",
                      pod_with({{"containers", {container()}}, {"restartPolicy", "Sometimes"}})) ==
          Lines{"spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: "
                "\"Always\", \"Never\", \"OnFailure\""});
  REQUIRE(cause_lines("pods", pod_with({{"containers", {container()}},
                                        {"terminationGracePeriodSeconds", -5}})) ==
          Lines{"spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or "
                "equal to 0"});
  auto dir = container_causes({{"workingDir", "data"}});
  REQUIRE(dir.size() == 1);
  REQUIRE(dir[0].rfind("spec.containers[0].workingDir: Invalid value: \"data\": must be an "
                       "absolute path (a kinda rule",
                       0) == 0);
}
