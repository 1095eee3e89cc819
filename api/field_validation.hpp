// The API server's fieldValidation query parameter: fields a kind does not declare (kind_types)
// are refused (Strict: 400 "strict decoding error: unknown field …"), dropped with a warning
// (Warn, the default) or dropped silently (Ignore), as decoding into the Go types drops them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::api {

enum class FieldValidation { kIgnore, kWarn, kStrict };

// "" (the default) → Warn; nullopt for anything but Ignore, Warn or Strict.
std::optional<FieldValidation> field_validation_of(std::string_view param);

// Removes the fields of `object` that its kind does not declare and returns their paths as the
// API server names them ("spec.replicaz", "spec.template.spec.containers[0].imagee"). Kinds
// outside the table are left alone.
std::vector<std::string> drop_unknown_fields(std::string_view kind, nlohmann::json& object);

// What a write does about those fields: under Strict the refusal (kind's message as the API
// server words it), otherwise the object loses them and `warnings` gains one line per field
// (Warn only).
Status enforce_field_validation(FieldValidation mode, std::string_view kind, nlohmann::json& object,
                                std::vector<std::string>& warnings);

}  // namespace kinda::api
