#include "api/decoding.hpp"

#include <string>

namespace kinda::api {
namespace {

using nlohmann::json;

enum class Type { kString, kInteger, kObject, kStringMap, kObjectList, kStringList };

const char* type_name(Type type) {
  switch (type) {
    case Type::kString:
      return "a string";
    case Type::kInteger:
      return "an integer";
    case Type::kObject:
      return "an object";
    case Type::kStringMap:
      return "a map of strings";
    case Type::kObjectList:
      return "a list of objects";
    case Type::kStringList:
      return "a list of strings";
  }
  return "";
}

bool all_of(const json& container, bool (json::*is)() const) {
  for (const json& item : container)
    if (!(item.*is)()) return false;
  return true;
}

bool has_type(const json& value, Type type) {
  switch (type) {
    case Type::kString:
      return value.is_string();
    case Type::kInteger:
      return value.is_number_integer();
    case Type::kObject:
      return value.is_object();
    case Type::kStringMap:
      return value.is_object() && all_of(value, &json::is_string);
    case Type::kObjectList:
      return value.is_array() && all_of(value, &json::is_object);
    case Type::kStringList:
      return value.is_array() && all_of(value, &json::is_string);
  }
  return false;
}

// Checks `key` of `parent` (dropping it when null); the path names it in the error.
Status check_field(const ResourceInfo& r, json& parent, const char* key, Type type,
                   const std::string& path) {
  auto it = parent.find(key);
  if (it == parent.end()) return Ok{};
  if (it->is_null()) {
    parent.erase(it);
    return Ok{};
  }
  if (has_type(*it, type)) return Ok{};
  std::string got = it->dump();
  if (got.size() > 80) got = got.substr(0, 77) + "...";
  return Error::bad_request(r.kind + " in version \"" + r.version + "\" cannot be handled as a " +
                            r.kind + ": " + path + " must be " + type_name(type) + ", got " + got);
}

}  // namespace

Status decode_object(const ResourceInfo& r, json& object) {
  if (!object.is_object())
    return Error::bad_request(r.kind + " in version \"" + r.version + "\" cannot be handled as a " +
                              r.kind + ": the body must be a JSON object");
  for (const char* key : {"apiVersion", "kind"})
    if (auto st = check_field(r, object, key, Type::kString, key); !st) return st;
  for (const char* key : {"metadata", "status"})
    if (auto st = check_field(r, object, key, Type::kObject, key); !st) return st;
  // Kinds without a spec ignore a field of that name, as the API server ignores unknown fields.
  const bool has_spec = r.plural != "configmaps" && r.plural != "secrets" && r.plural != "events" &&
                        r.plural != "endpoints" && r.plural != "endpointslices" &&
                        r.plural != "controllerrevisions";
  if (has_spec)
    if (auto st = check_field(r, object, "spec", Type::kObject, "spec"); !st) return st;
  if (!object.contains("metadata")) return Ok{};
  json& meta = object["metadata"];
  for (const char* key : {"name", "generateName", "namespace", "uid", "resourceVersion",
                          "creationTimestamp", "deletionTimestamp"})
    if (auto st = check_field(r, meta, key, Type::kString, std::string("metadata.") + key); !st)
      return st;
  for (const char* key : {"generation", "deletionGracePeriodSeconds"})
    if (auto st = check_field(r, meta, key, Type::kInteger, std::string("metadata.") + key); !st)
      return st;
  for (const char* key : {"labels", "annotations"})
    if (auto st = check_field(r, meta, key, Type::kStringMap, std::string("metadata.") + key); !st)
      return st;
  if (auto st =
          check_field(r, meta, "ownerReferences", Type::kObjectList, "metadata.ownerReferences");
      !st)
    return st;
  return check_field(r, meta, "finalizers", Type::kStringList, "metadata.finalizers");
}

}  // namespace kinda::api
