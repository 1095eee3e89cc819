// RFC 3339 timestamps in the form Kubernetes writes them ("2026-11-23T09:30:00Z").
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace kinda::api {

using Clock = std::chrono::system_clock;

std::string format_rfc3339(Clock::time_point t);
std::string now_rfc3339();
std::optional<Clock::time_point> parse_rfc3339(const std::string& text);

}  // namespace kinda::api
