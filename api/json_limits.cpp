#include "api/json_limits.hpp"

#include <utility>
#include <vector>

namespace kinda::api {

using nlohmann::json;

size_t json_text_depth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

JsonSize json_size(const json& value, size_t max_nodes) {
  JsonSize size;
  std::vector<std::pair<const json*, size_t>> pending = {{&value, 1}};
  while (!pending.empty() && size.nodes <= max_nodes) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    ++size.nodes;
    if (depth > size.depth) size.depth = depth;
    if (node->is_structured())
      for (const json& child : *node) pending.emplace_back(&child, depth + 1);
  }
  return size;
}

Result<json> parse_json_input(std::string_view text, const std::string& what) {
  if (json_text_depth(text) > kMaxNestingDepth)
    return Error::bad_request(what + " nests deeper than " + std::to_string(kMaxNestingDepth) +
                              " levels");
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return Error::bad_request(what + " is not valid JSON");
  return parsed;
}

}  // namespace kinda::api
