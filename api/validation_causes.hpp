// The validation files' shared collector: each check appends Kubernetes-shaped field causes
// ("Required value", "Invalid value: \"x\": …", "Unsupported value: …") so the API returns one
// 422 naming every bad field at once.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::api {

class Causes {
 public:
  void add(std::string field, std::string message, std::string reason = "FieldValueInvalid") {
    list.push_back({std::move(field), std::move(message), std::move(reason)});
  }
  void required(const std::string& field, const std::string& detail = "") {
    add(field, detail.empty() ? "Required value" : "Required value: " + detail,
        "FieldValueRequired");
  }
  void invalid(const std::string& field, const nlohmann::json& value, const std::string& detail) {
    add(field, "Invalid value: " + value.dump() + ": " + detail);
  }
  void unsupported(const std::string& field, const nlohmann::json& value,
                   const std::string& allowed) {
    add(field, "Unsupported value: " + value.dump() + ": supported values: " + allowed,
        "FieldValueNotSupported");
  }
  void duplicate(const std::string& field, const nlohmann::json& value) {
    add(field, "Duplicate value: " + value.dump(), "FieldValueDuplicate");
  }
  void forbidden(const std::string& field, const std::string& detail) {
    add(field, "Forbidden: " + detail, "FieldValueForbidden");
  }
  void not_found(const std::string& field, const nlohmann::json& value) {
    add(field, "Not found: " + value.dump(), "FieldValueNotFound");
  }

  std::vector<FieldCause> list;
};

// "path[3]" and "path[key]", as Kubernetes prints list indexes and map keys.
inline std::string index_path(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
inline std::string key_path(const std::string& path, const std::string& key) {
  return path + "[" + key + "]";
}

// object[key] when object is an object that has it, else null. Until validation has passed,
// input may have any shape, so reading it must never throw (json::value() does, on a non-object
// or a value of another type).
inline const nlohmann::json& field(const nlohmann::json& object, const std::string& key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// The string at object[key]; "" when absent or null, and also (recorded as a cause at `path`)
// when it is of another type.
inline std::string checked_string(Causes& c, const nlohmann::json& object, const char* key,
                                  const std::string& path) {
  const nlohmann::json& value = field(object, key);
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_null()) c.invalid(path, value, "must be a string");
  return "";
}

// The string at object[key]; "" when absent or of another type (the type is checked elsewhere).
inline std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace kinda::api
