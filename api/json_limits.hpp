// Bounds on the JSON documents kinda takes from outside (request bodies, patches, manifests).
// Everything that walks a document — dump, copy, compare, merge — recurses once per level, so a
// document nested a few hundred thousand levels deep overflows the stack of whoever touches it.
// Documents are therefore refused beyond kMaxNestingDepth when read, and JSON patches may not
// build deeper ones; the rest of the code may rely on that bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::api {

// No Kubernetes object needs more than a few dozen levels (Go's encoding/json allows 10,000).
// The bound is below what yaml-cpp reads back (about 500 levels), so every object the API accepts
// also survives `kinda get -o yaml | kinda apply -f -`, and it keeps even sanitizer-sized stack
// frames far from the 8 MB main-thread stack.
inline constexpr size_t kMaxNestingDepth = 256;

// The deepest nesting of brackets and braces in JSON text, ignoring those inside strings;
// counting stops once it exceeds `limit`. No recursion, so any text is safe to measure.
size_t json_text_depth(std::string_view text, size_t limit = kMaxNestingDepth);

struct JsonSize {
  size_t nodes = 0;  // every value, containers included
  size_t depth = 0;  // 1 for a scalar, 1 + the deepest child for a container
};
// Measures a parsed value without recursion; stops counting once `max_nodes` is exceeded.
JsonSize json_size(const nlohmann::json& value, size_t max_nodes = SIZE_MAX);

// Parses JSON from a client: 400 BadRequest ("<what> is not valid JSON", or nests too deep).
Result<nlohmann::json> parse_json_input(std::string_view text, const std::string& what);

}  // namespace kinda::api
