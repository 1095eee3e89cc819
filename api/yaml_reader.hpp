// Reads a YAML stream into JSON values from yaml-cpp's parser events, not from its node graph
// (YAML::LoadAll), so that kinda decides what hostile YAML may cost: an alias is a copy charged
// to a budget ("billion laughs" is refused), an alias inside its own anchor is an error (the
// graph would be a cycle), nesting stops at kMaxNestingDepth, and a stream that stops making
// progress is an error: yaml-cpp 0.7's LoadAll loops forever, allocating, on a stray ',' at the
// top level (jbeder/yaml-cpp#1040, fixed upstream only in 2024).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::api {

// One JSON value per document (null for an empty one). Scalars are typed as kubectl types them
// (resolve_plain_scalar; quoted ones stay strings). Throws YAML::Exception, with the mark of the
// problem, for syntax errors and for the limits above.
std::vector<nlohmann::json> read_yaml_documents(const std::string& text);

}  // namespace kinda::api
