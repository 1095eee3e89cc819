#include <catch2/catch.hpp>

#include "api/resources.hpp"
#include "cli/printers/printers.hpp"
#include "tests/unit/support/printer_fixtures.hpp"

using namespace kinda::cli;
using nlohmann::json;

namespace {

using printer_test::resource;

TableOptions at_noon() {
  TableOptions options;
  options.now = *kinda::api::parse_rfc3339("2024-01-01T12:00:00Z");
  return options;
}

json configmap() {
  return {{"metadata",
           {{"name", "app-config"},
            {"namespace", "default"},
            {"creationTimestamp", "2024-01-01T11:55:00Z"}}},
          {"data", {{"color", "blue"}, {"app.properties", "a=1\nb=2"}}},
          {"binaryData", {{"logo.png", "iVBORw0K"}}}};
}

json secret() {
  return {
      {"metadata",
       {{"name", "db"}, {"namespace", "default"}, {"creationTimestamp", "2024-01-01T10:00:00Z"}}},
      {"type", "Opaque"},
      {"data", {{"password", "czNjcjN0"}, {"user", "YWRtaW4="}}}};
}

}  // namespace

TEST_CASE("configmaps list NAME DATA AGE, counting data and binaryData keys") {
  REQUIRE(table_header(resource("cm"), at_noon()) == Row{"NAME", "DATA", "AGE"});
  REQUIRE(table_row(resource("cm"), configmap(), at_noon()) == Row{"app-config", "3", "5m"});
  json empty = {{"metadata", {{"name", "e"}, {"creationTimestamp", "2024-01-01T11:59:00Z"}}}};
  REQUIRE(table_row(resource("cm"), empty, at_noon()) == Row{"e", "0", "60s"});
}

TEST_CASE("secrets list NAME TYPE DATA AGE") {
  REQUIRE(table_header(resource("secrets"), at_noon()) == Row{"NAME", "TYPE", "DATA", "AGE"});
  REQUIRE(table_row(resource("secrets"), secret(), at_noon()) == Row{"db", "Opaque", "2", "120m"});
}

TEST_CASE("describe of a configmap prints its data like kubectl") {
  DescribeContext context;
  REQUIRE(describe(resource("cm"), configmap(), context) ==
          "Name:         app-config\n"
          "Namespace:    default\n"
          "Labels:       <none>\n"
          "Annotations:  <none>\n"
          "\n"
          "Data\n"
          "====\n"
          "app.properties:\n"
          "----\n"
          "a=1\nb=2\n"
          "\n"
          "color:\n"
          "----\n"
          "blue\n"
          "\n"
          "\n"
          "BinaryData\n"
          "====\n"
          "logo.png: 6 bytes\n"
          "\n"
          "Events:  <none>\n");
}

TEST_CASE("describe of a secret shows sizes, never values, and no events") {
  DescribeContext context;
  std::string text = describe(resource("secrets"), secret(), context);
  REQUIRE(text ==
          "Name:         db\n"
          "Namespace:    default\n"
          "Labels:       <none>\n"
          "Annotations:  <none>\n"
          "\n"
          "Type:  Opaque\n"
          "\n"
          "Data\n"
          "====\n"
          "password:  6 bytes\n"
          "user:      5 bytes\n");
}
