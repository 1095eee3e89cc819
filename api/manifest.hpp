// Reads Kubernetes manifests: multi-document YAML or JSON text becomes a list of JSON objects typed
// the way kubectl types them (plain 3 is a number, quoted "3" a string). Empty documents are
// skipped, a `kind: List` expands to its items, and malformed text is one error naming the line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::api {

// `source_name` names the input in errors: "error parsing FILE: yaml: line 4: <problem>".
Result<std::vector<nlohmann::json>> parse_manifests(std::string_view text,
                                                    const std::string& source_name);

// How an unquoted YAML scalar reads (YAML 1.1 as Kubernetes' go-yaml reads it): null, a bool
// (true, yes, on…), an integer (3, 0x1f, 0755), a float (1.5, 1e3), else the string itself.
nlohmann::json resolve_plain_scalar(std::string_view text);

}  // namespace kinda::api
