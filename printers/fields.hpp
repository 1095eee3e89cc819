// Null-safe reads of nested fields of API objects for the printers: a missing field reads as
// null, a missing list as an empty list, so printing never throws on partial objects.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::printers {

inline const nlohmann::json& field(const nlohmann::json& object, const std::string& dotted) {
  static const nlohmann::json kNull;
  const nlohmann::json* value = api::find_path(object, dotted);
  return value ? *value : kNull;
}

inline const nlohmann::json& array_at(const nlohmann::json& object, const std::string& dotted) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json& value = field(object, dotted);
  return value.is_array() ? value : kEmpty;
}

// A timestamp field (RFC 3339) as a time; nullopt when missing or unreadable.
inline std::optional<api::Clock::time_point> time_at(const nlohmann::json& object,
                                                     const std::string& dotted) {
  const nlohmann::json& value = field(object, dotted);
  if (!value.is_string()) return std::nullopt;
  return api::parse_rfc3339(value.get<std::string>());
}

}  // namespace kinda::printers
