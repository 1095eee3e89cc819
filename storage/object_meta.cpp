#include "storage/object_meta.hpp"

#include <array>
#include <cstdio>
#include <random>

#include "api/timestamps.hpp"

namespace kinda::storage {

namespace {

std::string new_uid() {
  std::random_device entropy;
  std::array<uint8_t, 16> bytes;
  for (auto& byte : bytes) byte = static_cast<uint8_t>(entropy());
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4: random
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

bool has_string(const nlohmann::json& metadata, const char* field) {
  auto it = metadata.find(field);
  return it != metadata.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

}  // namespace

Result<ObjectKey> object_key(const nlohmann::json& object) {
  if (!object.is_object()) return Error::bad_request("the object must be a JSON object");
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object() || !has_string(*metadata, "name"))
    return Error::bad_request("resource name may not be empty: metadata.name is required");
  ObjectKey key;
  key.name = (*metadata)["name"].get<std::string>();
  auto ns = metadata->find("namespace");
  if (ns != metadata->end() && !ns->is_null()) {
    if (!ns->is_string()) return Error::bad_request("metadata.namespace must be a string");
    key.ns = ns->get<std::string>();
  }
  return key;
}

std::string resource_version_of(const nlohmann::json& object) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  auto rv = metadata->find("resourceVersion");
  if (rv == metadata->end()) return "";
  if (rv->is_string()) return rv->get<std::string>();
  // Clients are supposed to send a string, but a number written by hand means the same thing.
  if (rv->is_number_integer()) return std::to_string(rv->get<int64_t>());
  return "";
}

void set_resource_version(nlohmann::json& object, int64_t revision) {
  object["metadata"]["resourceVersion"] = std::to_string(revision);
}

void stamp_identity(nlohmann::json& object) {
  auto& metadata = object["metadata"];
  if (!has_string(metadata, "uid")) metadata["uid"] = new_uid();
  if (!has_string(metadata, "creationTimestamp"))
    metadata["creationTimestamp"] = api::now_rfc3339();
}

void carry_identity(const nlohmann::json& stored, nlohmann::json& updated) {
  auto before = stored.find("metadata");
  if (before == stored.end() || !before->is_object()) return;
  auto& after = updated["metadata"];
  for (const char* field : {"uid", "creationTimestamp"}) {
    if (!has_string(after, field) && has_string(*before, field)) after[field] = (*before)[field];
  }
}

}  // namespace kinda::storage
