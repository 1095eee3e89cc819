#include "api/patch.hpp"

#include "api/json_limits.hpp"
#include "api/patch_schema.hpp"
#include "api/strategic_merge.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr const char* kJsonPatch = "application/json-patch+json";
constexpr const char* kMergePatch = "application/merge-patch+json";
constexpr const char* kStrategicPatch = "application/strategic-merge-patch+json";
constexpr const char* kApplyPatch = "application/apply-patch+yaml";

std::string_view media_type(std::string_view content_type) {
  // As the API server: parameters after ';' (charset) do not change the type.
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return type;
}

// nlohmann's messages start with "[json.exception.<kind>.<id>] "; users need only the rest.
std::string without_exception_tag(const std::string& what) {
  if (what.starts_with("[json.exception.")) {
    size_t end = what.find("] ");
    if (end != std::string::npos) return what.substr(end + 2);
  }
  return what;
}

// As the API server (maxJSONPatchOperations): a longer patch is refused before it is applied.
constexpr size_t kMaxJsonPatchOperations = 10000;
// Copies (and moves) may repeat their source, so a patch of a few operations could double the
// object each time ("copy /a to /a/b", thirty times); like the API server's accumulated copy size
// limit, what they place is bounded in total.
// 100,000 values is a few megabytes of JSON, more than any real object holds.
constexpr size_t kMaxCopiedNodes = 100000;

// Checks one operation before it is applied: what it places (its value, or the subtree it copies
// or moves) under its path must keep the object within kMaxNestingDepth, and copies stay within
// their budget. Malformed operations pass; applying them reports them.
Status check_operation(const json& result, const json& op, size_t& copied) {
  if (!op.is_object() || !op.contains("op") || !op["op"].is_string() || !op.contains("path") ||
      !op["path"].is_string())
    return Ok{};
  const std::string kind = op["op"].get<std::string>();
  const json* placed = nullptr;
  if ((kind == "add" || kind == "replace") && op.contains("value")) {
    placed = &op["value"];
  } else if ((kind == "copy" || kind == "move") && op.contains("from") && op["from"].is_string()) {
    try {
      placed = &result.at(json::json_pointer(op["from"].get<std::string>()));
    } catch (const json::exception&) {
      return Ok{};
    }
  }
  if (!placed) return Ok{};
  JsonSize size = json_size(*placed, kMaxCopiedNodes);
  if (kind == "copy" || kind == "move") {
    copied += size.nodes;
    if (copied > kMaxCopiedNodes)
      return Error{422,
                   "Invalid",
                   "the JSON patch could not be applied: its copy and move operations place "
                   "more than " +
                       std::to_string(kMaxCopiedNodes) + " values",
                   {}};
  }
  size_t path_depth = 0;
  for (char c : op["path"].get<std::string>()) path_depth += c == '/';
  if (path_depth + size.depth > kMaxNestingDepth)
    return Error{422,
                 "Invalid",
                 "the JSON patch could not be applied: it would nest the object deeper than " +
                     std::to_string(kMaxNestingDepth) + " levels",
                 {}};
  return Ok{};
}

Result<json> apply_json_patch(const json& original, const json& patch) {
  if (!patch.is_array())
    return Error::bad_request(
        "a JSON patch (--type json) must be a list of operations, e.g. "
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]");
  if (patch.size() > kMaxJsonPatchOperations)
    return Error{413,
                 "RequestEntityTooLarge",
                 "The allowed maximum operations in a JSON patch is " +
                     std::to_string(kMaxJsonPatchOperations) + ", got " +
                     std::to_string(patch.size()),
                 {}};
  json result = original;
  size_t copied = 0;
  try {
    // One operation at a time, so each is checked against the object as it is by then.
    for (const json& op : patch) {
      if (auto checked = check_operation(result, op, copied); !checked) return checked.error();
      result.patch_inplace(json::array({op}));
    }
  } catch (const json::parse_error& e) {
    // Malformed operations (unknown op, missing path or value) are the request's fault.
    return Error::bad_request("invalid JSON patch: " + without_exception_tag(e.what()));
  } catch (const json::exception& e) {
    return Error{422,
                 "Invalid",
                 "the JSON patch could not be applied: " + without_exception_tag(e.what()),
                 {}};
  }
  return result;
}

}  // namespace

bool is_apply_patch(std::string_view content_type) {
  return media_type(content_type) == kApplyPatch;
}

Result<PatchType> patch_type_of(std::string_view content_type) {
  std::string_view type = media_type(content_type);
  if (type == kJsonPatch) return PatchType::kJson;
  if (type == kMergePatch) return PatchType::kMerge;
  if (type == kStrategicPatch) return PatchType::kStrategic;
  return Error{415,
               "UnsupportedMediaType",
               std::string("the body of the request was in an unknown format - accepted media "
                           "types include: ") +
                   kJsonPatch + ", " + kMergePatch + ", " + kApplyPatch + ", " + kStrategicPatch,
               {}};
}

std::string content_type_of(PatchType type) {
  switch (type) {
    case PatchType::kJson:
      return kJsonPatch;
    case PatchType::kMerge:
      return kMergePatch;
    case PatchType::kStrategic:
      return kStrategicPatch;
  }
  return kStrategicPatch;
}

Result<json> apply_patch(PatchType type, const json& original, std::string_view body) {
  auto parsed = parse_json_input(body, "the patch");
  if (!parsed) return parsed.error();
  const json& patch = *parsed;
  Result<json> patched = json();
  switch (type) {
    case PatchType::kJson:
      patched = apply_json_patch(original, patch);
      break;
    case PatchType::kMerge:
      if (!patch.is_object()) return Error::bad_request("a merge patch must be a JSON object");
      patched = original;
      patched->merge_patch(patch);
      break;
    case PatchType::kStrategic:
      patched = strategic_merge(original, patch,
                                PatchSchema::for_kind(original.value("kind", std::string())));
      break;
  }
  if (patched && !patched->is_object())
    return Error{422, "Invalid", "the patched object is not a JSON object", {}};
  return patched;
}

}  // namespace kinda::api
