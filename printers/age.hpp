// How kubectl and the API server's printers write durations and ages: "45s", "3m12s", "5h3m",
// "2d3h", "2y10d" (Kubernetes' duration.HumanDuration), and "<unknown>" for a missing time.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "api/timestamps.hpp"

namespace kinda::printers {

using api::Clock;

std::string format_age(std::chrono::seconds age);
// Age of an RFC 3339 timestamp at `now`; "<unknown>" when it is missing or unreadable.
std::string age_since(const nlohmann::json& timestamp, Clock::time_point now);

}  // namespace kinda::printers
