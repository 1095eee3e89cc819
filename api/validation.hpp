// Validation of objects before they are stored, with Kubernetes' field paths and messages, so a
// bad manifest is refused at apply time naming the field instead of failing later in a pod.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/resources.hpp"

namespace kinda::api {

// Longest StatefulSet name: its pods' names ("<set>-<ordinal>") and the controller-revision-hash
// label ("<set>-<10-char hash>") must both stay within 63 characters.
inline constexpr size_t kMaxStatefulSetNameLength = 52;

// Checks a (defaulted) object; empty when valid.
std::vector<FieldCause> validate_object(const ResourceInfo& resource, const nlohmann::json& object);
// Checks an update: everything validate_object checks plus immutable fields.
std::vector<FieldCause> validate_update(const ResourceInfo& resource,
                                        const nlohmann::json& old_object,
                                        const nlohmann::json& new_object);

}  // namespace kinda::api
