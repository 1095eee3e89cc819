// The three PATCH bodies the API accepts, told apart by Content-Type as the Kubernetes API server
// does: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch. Pure: an
// object and a body in, the patched object or a Status-shaped error out (415 for an unknown
// Content-Type, 400 for a malformed patch, 422 for a JSON patch that does not apply).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::api {

enum class PatchType { kJson, kMerge, kStrategic };

// "application/merge-patch+json; charset=utf-8" → kMerge; anything else is 415.
Result<PatchType> patch_type_of(std::string_view content_type);
// application/apply-patch+yaml: server-side apply (api/server_side_apply), not a patch body.
bool is_apply_patch(std::string_view content_type);
std::string content_type_of(PatchType type);

// Strategic merge patches use the list rules of `original`'s kind.
Result<nlohmann::json> apply_patch(PatchType type, const nlohmann::json& original,
                                   std::string_view body);

}  // namespace kinda::api
