#include "api/patch.hpp"

#include "api/patch_schema.hpp"
#include "api/strategic_merge.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr const char* kJsonPatch = "application/json-patch+json";
constexpr const char* kMergePatch = "application/merge-patch+json";
constexpr const char* kStrategicPatch = "application/strategic-merge-patch+json";

// nlohmann's messages start with "[json.exception.<kind>.<id>] "; users need only the rest.
std::string without_exception_tag(const std::string& what) {
  if (what.starts_with("[json.exception.")) {
    size_t end = what.find("] ");
    if (end != std::string::npos) return what.substr(end + 2);
  }
  return what;
}

Result<json> apply_json_patch(const json& original, const json& patch) {
  if (!patch.is_array())
    return Error::bad_request(
        "a JSON patch (--type json) must be a list of operations, e.g. "
        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]");
  try {
    return original.patch(patch);
  } catch (const json::parse_error& e) {
    // Malformed operations (unknown op, missing path or value) are the request's fault.
    return Error::bad_request("invalid JSON patch: " + without_exception_tag(e.what()));
  } catch (const json::exception& e) {
    return Error{422,
                 "Invalid",
                 "the JSON patch could not be applied: " + without_exception_tag(e.what()),
                 {}};
  }
}

}  // namespace

Result<PatchType> patch_type_of(std::string_view content_type) {
  // As the API server: parameters after ';' (charset) do not change the type.
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type == kJsonPatch) return PatchType::kJson;
  if (type == kMergePatch) return PatchType::kMerge;
  if (type == kStrategicPatch) return PatchType::kStrategic;
  return Error{415,
               "UnsupportedMediaType",
               std::string("the body of the request was in an unknown format - accepted media "
                           "types include: ") +
                   kJsonPatch + ", " + kMergePatch + ", " + kStrategicPatch,
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
  json patch = json::parse(body, nullptr, false);
  if (patch.is_discarded()) return Error::bad_request("the patch is not valid JSON");
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
