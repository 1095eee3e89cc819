// IntOrString fields that hold a count or a percentage ("25%"), as apimachinery's intstr reads
// them: validation (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent) and scaling a
// percentage against a total, rounded up or down (GetScaledValueFromIntOrPercent).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

// The percentage of "N%" (N a run of digits), nullopt for any other string.
std::optional<long long> percent_of(const std::string& text);
// Names what is wrong with a count-or-percentage at `path`; null values are left alone.
void check_int_or_percent(Causes& c, const nlohmann::json& value, const std::string& path);
// The value scaled against `total`; nullopt when it is neither an integer nor "<n>%".
std::optional<long long> scaled_int_or_percent(const nlohmann::json& value, long long total,
                                               bool round_up);
// Whether the value is a percentage string.
bool is_percent(const nlohmann::json& value);

}  // namespace kinda::api
