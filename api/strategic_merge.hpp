// Kubernetes' strategic merge patch (k8s.io/apimachinery strategicpatch) applied to kinda's JSON
// objects, as the API server applies it: maps merge key by key and null removes a key; lists
// merge by their merge key (PatchSchema) or are replaced whole; new list items go in front of the
// existing ones unless $setElementOrder says otherwise. Directives: $patch (replace and delete on
// maps, replace and delete on list items), $retainKeys, $deleteFromPrimitiveList/<list> and
// $setElementOrder/<list>. A patch Kubernetes would refuse is a 400 BadRequest with its message.
#pragma once

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/patch_schema.hpp"

namespace kinda::api {

Result<nlohmann::json> strategic_merge(const nlohmann::json& original, const nlohmann::json& patch,
                                       const PatchSchema& schema);

}  // namespace kinda::api
