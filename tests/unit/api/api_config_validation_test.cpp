#include <catch2/catch.hpp>

#include <string>

#include "api/defaults.hpp"
#include "api/resources.hpp"
#include "api/validation.hpp"

namespace {

using kinda::FieldCause;
using namespace kinda::api;
using nlohmann::json;

json defaulted(const char* plural, json object) {
  apply_defaults(*find_resource(plural), object);
  return object;
}

std::vector<FieldCause> validate(const char* plural, json object) {
  return validate_object(*find_resource(plural), defaulted(plural, std::move(object)));
}

std::vector<FieldCause> validate_change(const char* plural, json before, json after) {
  return validate_update(*find_resource(plural), defaulted(plural, std::move(before)),
                         defaulted(plural, std::move(after)));
}

// "field: message" lines, so a failing test shows every cause.
std::vector<std::string> lines(const std::vector<FieldCause>& causes) {
  std::vector<std::string> out;
  for (const auto& c : causes) out.push_back(c.field + ": " + c.message);
  return out;
}

json configmap(json data) {
  return {{"metadata", {{"name", "app-config"}, {"namespace", "default"}}}, {"data", data}};
}

json secret(json fields) {
  json s = {{"metadata", {{"name", "db"}, {"namespace", "default"}}}};
  s.update(fields);
  return s;
}

}  // namespace

TEST_CASE("configmaps and secrets are core v1 resources with kubectl's names") {
  REQUIRE(find_resource("cm")->plural == "configmaps");
  REQUIRE(find_resource("ConfigMap")->path("default", "x") ==
          "/api/v1/namespaces/default/configmaps/x");
  REQUIRE(find_resource("secret")->kind == "Secret");
  REQUIRE(find_resource("secrets")->namespaced);
  REQUIRE(resource_for_kind("v1", "Secret")->plural == "secrets");
}

TEST_CASE("a configmap with string data and base64 binaryData is valid") {
  REQUIRE(validate("configmaps", configmap({{"color", "blue"}, {"app.properties", "a=1\nb=2"}}))
              .empty());
  json cm = configmap({{"color", "blue"}});
  cm["binaryData"] = {{"logo.png", "iVBORw0K"}};
  REQUIRE(validate("configmaps", cm).empty());
  REQUIRE(validate("configmaps", {{"metadata", {{"name", "empty"}}}}).empty());
}

TEST_CASE("configmap keys must be config keys") {
  auto causes = lines(validate("configmaps", configmap({{"bad key", "x"}, {"..", "y"}})));
  REQUIRE(causes == std::vector<std::string>{
                        "data[..]: Invalid value: \"..\": must not be '..'",
                        "data[bad key]: Invalid value: \"bad key\": a valid config key must "
                        "consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
                        "'KEY_NAME',  or 'key-name', regex used for validation is "
                        "'[-._a-zA-Z0-9]+')"});
  REQUIRE(lines(validate("configmaps", configmap({{std::string(254, 'k'), "x"}})))[0] ==
          "data[" + std::string(254, 'k') + "]: Invalid value: \"" + std::string(254, 'k') +
              "\": must be no more than 253 characters");
}

TEST_CASE("configmap data values are strings, binaryData base64, and keys do not overlap") {
  json cm = configmap({{"port", 6379}, {"color", "blue"}});
  cm["binaryData"] = {{"color", "Ymx1ZQ=="}, {"blob", "not base64!"}};
  auto causes = lines(validate("configmaps", cm));
  REQUIRE(causes == std::vector<std::string>{
                        "data[color]: Invalid value: \"color\": duplicate of key present in "
                        "binaryData",
                        "data[port]: Invalid value: 6379: must be a string (quote it in YAML)",
                        "binaryData[blob]: Invalid value: \"not base64!\": illegal base64 data at "
                        "input byte 3",
                        "binaryData[color]: Invalid value: \"color\": duplicate of key present in "
                        "data"});
}

TEST_CASE("configmap and secret data may not exceed 1 MiB in total") {
  std::string half(600 * 1024, 'x');
  auto causes = validate("configmaps", configmap({{"a", half}, {"b", half}}));
  REQUIRE(causes.size() == 1);
  REQUIRE(causes[0].field == "data");
  REQUIRE(causes[0].reason == "FieldValueTooLong");
  REQUIRE(validate("configmaps", configmap({{"a", half}})).empty());
  auto secret_causes =
      lines(validate("secrets", secret({{"stringData", {{"a", half}, {"b", half}}}})));
  REQUIRE(secret_causes ==
          std::vector<std::string>{"data: Too long: may not be more than 1048576 bytes"});
}

TEST_CASE("secret type defaults to Opaque and stringData is merged into data") {
  json s = defaulted("secrets", secret({{"data", {{"user", "YWRtaW4="}, {"password", "b2xk"}}},
                                        {"stringData", {{"password", "s3cr3t"}}}}));
  REQUIRE(s["type"] == "Opaque");
  REQUIRE_FALSE(s.contains("stringData"));
  REQUIRE(s["data"] == json{{"user", "YWRtaW4="}, {"password", "czNjcjN0"}});
  REQUIRE(validate_object(*find_resource("secrets"), s).empty());

  json only_string = defaulted("secrets", secret({{"stringData", {{"token", "abc"}}}}));
  REQUIRE(only_string["data"] == json{{"token", "YWJj"}});
}

TEST_CASE("secret data must be base64, named without echoing the secret") {
  auto causes = lines(validate("secrets", secret({{"data", {{"password", "hunter2!"}}}})));
  REQUIRE(causes == std::vector<std::string>{
                        "data[password]: Invalid value: \"<secret contents redacted>\": illegal "
                        "base64 data at input byte 7"});
  auto typed = lines(validate("secrets", secret({{"data", {{"n", 5}}}})));
  REQUIRE(typed == std::vector<std::string>{"data[n]: Invalid value: \"<secret contents "
                                            "redacted>\": must be a base64-encoded string"});
}

TEST_CASE("non-string stringData values are refused by name") {
  auto causes = lines(validate("secrets", secret({{"stringData", {{"port", 5432}, {"ok", "x"}}}})));
  REQUIRE(causes ==
          std::vector<std::string>{
              "stringData[port]: Invalid value: 5432: must be a string (quote it in YAML)"});
}

TEST_CASE("well-known secret types require their keys") {
  auto tls = lines(validate(
      "secrets", secret({{"type", "kubernetes.io/tls"}, {"stringData", {{"tls.crt", "c"}}}})));
  REQUIRE(tls == std::vector<std::string>{"data[tls.key]: Required value"});
  auto basic = lines(validate("secrets", secret({{"type", "kubernetes.io/basic-auth"}})));
  REQUIRE(basic == std::vector<std::string>{"data[username]: Required value",
                                            "data[password]: Required value"});
  REQUIRE(validate("secrets", secret({{"type", "kubernetes.io/basic-auth"},
                                      {"stringData", {{"password", "p"}}}}))
              .empty());
  REQUIRE(validate("secrets", secret({{"type", "example.com/custom"}})).empty());
}

TEST_CASE("immutable configmaps and secrets refuse data changes") {
  json before = configmap({{"color", "blue"}});
  before["immutable"] = true;
  json after = before;
  after["data"]["color"] = "red";
  REQUIRE(lines(validate_change("configmaps", before, after)) ==
          std::vector<std::string>{"data: Forbidden: field is immutable when `immutable` is set"});
  json unfrozen = before;
  unfrozen["immutable"] = false;
  REQUIRE(
      lines(validate_change("configmaps", before, unfrozen)) ==
      std::vector<std::string>{"immutable: Forbidden: field is immutable when `immutable` is set"});
  json relabelled = before;
  relabelled["metadata"]["labels"] = {{"tier", "web"}};
  REQUIRE(validate_change("configmaps", before, relabelled).empty());

  json mutable_before = configmap({{"color", "blue"}});
  REQUIRE(validate_change("configmaps", mutable_before, after).empty());

  json s = secret({{"immutable", true}, {"stringData", {{"password", "a"}}}});
  json s2 = secret({{"immutable", true}, {"stringData", {{"password", "b"}}}});
  REQUIRE(lines(validate_change("secrets", s, s2)) ==
          std::vector<std::string>{"data: Forbidden: field is immutable when `immutable` is set"});
  REQUIRE(validate_change("secrets", s, s).empty());
}

TEST_CASE("a secret's type cannot change") {
  json before = secret({{"stringData", {{"a", "b"}}}});
  json after = secret({{"type", "example.com/other"}, {"stringData", {{"a", "b"}}}});
  REQUIRE(
      lines(validate_change("secrets", before, after)) ==
      std::vector<std::string>{"type: Invalid value: \"example.com/other\": field is immutable"});
}

TEST_CASE("immutable must be a boolean") {
  json cm = configmap({{"a", "b"}});
  cm["immutable"] = "yes";
  REQUIRE(lines(validate("configmaps", cm)) ==
          std::vector<std::string>{"immutable: Invalid value: \"yes\": must be a boolean"});
}

TEST_CASE("a Lease: positive duration, transitions not negative, strategy for a preferred holder") {
  auto lease = [](json spec) {
    return json{{"metadata", {{"name", "leader"}, {"namespace", "default"}}}, {"spec", spec}};
  };
  CHECK(validate("leases", lease({{"holderIdentity", "web-0"},
                                  {"leaseDurationSeconds", 15},
                                  {"acquireTime", "2024-01-01T00:00:00.000000Z"},
                                  {"renewTime", "2024-01-01T00:00:10.000000Z"},
                                  {"leaseTransitions", 0}}))
            .empty());
  CHECK(validate("leases", lease(json::object())).empty());
  CHECK(lines(validate("leases", lease({{"leaseDurationSeconds", 0}, {"leaseTransitions", -1}}))) ==
        std::vector<std::string>{
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"});
  CHECK(lines(validate("leases", lease({{"preferredHolder", "web-1"}}))) ==
        std::vector<std::string>{
            "spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"});
  CHECK(lines(validate("leases", lease({{"strategy", "Newest"}}))) ==
        std::vector<std::string>{"spec.strategy: Unsupported value: \"Newest\": supported "
                                 "values: \"OldestEmulationVersion\""});
  CHECK(validate("leases",
                 lease({{"strategy", "OldestEmulationVersion"}, {"preferredHolder", "web-1"}}))
            .empty());
}
