// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), for `get -o jsonpath=…`,
// `-o custom-columns=…` and `--sort-by=…`. A template is text with actions in braces:
//   {.metadata.name}  {.items[*].status.podIP}  {.spec.containers[0].image}  {['metadata']}
//   {.items[-1:]}  {..name}  {.items[?(@.status.phase=="Running")].metadata.name}
//   {range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}
// As in kubectl, a path that finds nothing prints nothing (--allow-missing-template-keys is true
// by default), several results of one action are separated by a space, strings print as they
// are and other values as compact JSON. Pure: no I/O.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::cli {

class JsonPath {
 public:
  // The template as `-o jsonpath=` takes it; a 400-style error names what is wrong and where.
  static Result<JsonPath> parse(std::string_view text);
  // A lone expression as custom-columns and --sort-by take it: "{.a.b}", ".a.b" or "a.b".
  static Result<JsonPath> parse_relaxed(std::string_view expression);

  // The template's text with every action's results in place.
  Result<std::string> print(const nlohmann::json& data) const;
  // The values a template of one expression selects (custom-columns cells, sort keys).
  Result<std::vector<nlohmann::json>> values(const nlohmann::json& data) const;

  struct Node;
  JsonPath(JsonPath&&) noexcept;
  JsonPath& operator=(JsonPath&&) noexcept;
  ~JsonPath();

 private:
  JsonPath();
  std::vector<std::unique_ptr<Node>> nodes_;
};

// How a value prints in a template: a string raw, anything else as compact JSON.
std::string jsonpath_text(const nlohmann::json& value);

}  // namespace kinda::cli
