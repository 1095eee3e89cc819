// An IntOrString that counts pods (maxSurge, maxUnavailable): a number, or "N%" of a total, as
// k8s.io/apimachinery's intstr.GetScaledValueFromIntOrPercent reads it.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

namespace kinda::api {

// The percentage of "N%" (N a run of digits), nullopt for any other string.
std::optional<long long> percent_of(const std::string& text);
// The value scaled against `total`: a number as is, a percentage rounded up or down; nullopt
// when the value is neither a number nor a valid percentage.
std::optional<long long> scaled_int_or_percent(const nlohmann::json& value, long long total,
                                               bool round_up);

}  // namespace kinda::api
