#include "api/config_validation.hpp"

#include <string>

#include "api/base64.hpp"
#include "api/names.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

// Secret values never appear in error messages; Kubernetes prints this instead.
const char* const kRedacted = "<secret contents redacted>";

const json& map_at(const json& object, const char* key) {
  static const json empty = json::object();
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : empty;
}

bool check_is_map(Causes& c, const json& object, const char* key) {
  if (!object.contains(key) || object[key].is_null() || object[key].is_object()) return true;
  c.add(key, "must be a map of keys to values");
  return false;
}

void check_keys(Causes& c, const json& map, const std::string& path) {
  for (const auto& [key, value] : map.items())
    for (const auto& problem : check_config_key(key)) c.invalid(key_path(path, key), key, problem);
}

// The decoded size of a base64 field, or nullopt after recording why it is not base64.
std::optional<size_t> decoded_size(Causes& c, const json& value, const std::string& path,
                                   bool redact) {
  if (!value.is_string()) {
    c.invalid(path, redact ? json(kRedacted) : value, "must be a base64-encoded string");
    return std::nullopt;
  }
  auto bytes = base64_decode(value.get<std::string>());
  if (!bytes) {
    c.invalid(path, redact ? json(kRedacted) : value, bytes.error().message);
    return std::nullopt;
  }
  return bytes->size();
}

void check_immutable_flag(Causes& c, const json& object) {
  if (object.contains("immutable") && !object["immutable"].is_null() &&
      !object["immutable"].is_boolean())
    c.invalid("immutable", object["immutable"], "must be a boolean");
}

void check_secret_type(Causes& c, const json& secret, const json& data) {
  std::string type = string_field(secret, "type");
  auto require = [&](const char* key) {
    if (!data.contains(key)) c.required(key_path("data", key));
  };
  if (type == "kubernetes.io/tls") {
    require("tls.crt");
    require("tls.key");
  } else if (type == "kubernetes.io/basic-auth") {
    if (!data.contains("username") && !data.contains("password")) {
      require("username");
      require("password");
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    require("ssh-privatekey");
  } else if (type == "kubernetes.io/dockercfg") {
    require(".dockercfg");
  } else if (type == "kubernetes.io/dockerconfigjson") {
    require(".dockerconfigjson");
  } else if (type == "kubernetes.io/service-account-token") {
    if (string_field(map_at(secret.value("metadata", json::object()), "annotations"),
                     "kubernetes.io/service-account.name")
            .empty())
      c.required("metadata.annotations[kubernetes.io/service-account.name]");
  }
}

// Once `immutable: true` is stored, the data fields and the flag itself are frozen.
void check_frozen(Causes& c, const json& old_object, const json& new_object,
                  std::initializer_list<const char*> fields) {
  if (old_object.value("immutable", json(false)) != true) return;
  const char* frozen = "field is immutable when `immutable` is set";
  if (new_object.value("immutable", json(false)) != true) c.forbidden("immutable", frozen);
  for (const char* key : fields)
    if (map_at(old_object, key) != map_at(new_object, key)) c.forbidden(key, frozen);
}

}  // namespace

void check_configmap(Causes& c, const json& cm) {
  check_immutable_flag(c, cm);
  bool data_ok = check_is_map(c, cm, "data");
  bool binary_ok = check_is_map(c, cm, "binaryData");
  if (!data_ok || !binary_ok) return;
  const json& data = map_at(cm, "data");
  const json& binary = map_at(cm, "binaryData");
  check_keys(c, data, "data");
  check_keys(c, binary, "binaryData");
  size_t total = 0;
  for (const auto& [key, value] : data.items()) {
    std::string p = key_path("data", key);
    if (!value.is_string())
      c.invalid(p, value, "must be a string (quote it in YAML)");
    else
      total += value.get<std::string>().size();
    if (binary.contains(key)) c.invalid(p, key, "duplicate of key present in binaryData");
  }
  for (const auto& [key, value] : binary.items()) {
    std::string p = key_path("binaryData", key);
    if (auto size = decoded_size(c, value, p, false)) total += *size;
    if (data.contains(key)) c.invalid(p, key, "duplicate of key present in data");
  }
  if (total > kMaxConfigDataBytes)
    c.add("data",
          "Too long: may not be more than " + std::to_string(kMaxConfigDataBytes) +
              " bytes (data and binaryData together)",
          "FieldValueTooLong");
}

void check_secret(Causes& c, const json& secret) {
  check_immutable_flag(c, secret);
  if (secret.contains("type") && !secret["type"].is_null() && !secret["type"].is_string())
    c.invalid("type", secret["type"], "must be a string");
  bool data_ok = check_is_map(c, secret, "data");
  bool string_data_ok = check_is_map(c, secret, "stringData");
  if (!data_ok || !string_data_ok) return;
  // What is left in stringData after the merge is what could not be merged.
  for (const auto& [key, value] : map_at(secret, "stringData").items())
    c.invalid(key_path("stringData", key), value, "must be a string (quote it in YAML)");
  const json& data = map_at(secret, "data");
  check_keys(c, data, "data");
  size_t total = 0;
  for (const auto& [key, value] : data.items())
    if (auto size = decoded_size(c, value, key_path("data", key), true)) total += *size;
  if (total > kMaxConfigDataBytes)
    c.add("data",
          "Too long: may not be more than " + std::to_string(kMaxConfigDataBytes) + " bytes",
          "FieldValueTooLong");
  check_secret_type(c, secret, data);
}

void check_configmap_update(Causes& c, const json& old_object, const json& new_object) {
  check_frozen(c, old_object, new_object, {"data", "binaryData"});
}

void check_secret_update(Causes& c, const json& old_object, const json& new_object) {
  json old_type = old_object.value("type", json("Opaque"));
  json new_type = new_object.value("type", json("Opaque"));
  if (old_type != new_type) c.invalid("type", new_type, "field is immutable");
  check_frozen(c, old_object, new_object, {"data"});
}

}  // namespace kinda::api
