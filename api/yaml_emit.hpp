// Writes JSON values as block YAML the way kubectl prints `-o yaml`: keys in order, lists flush
// with their parent key, and strings that would read back as another type ("3", "true") quoted,
// so parse_manifests(to_yaml(x)) == x.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace kinda::api {

std::string to_yaml(const nlohmann::json& value);

}  // namespace kinda::api
