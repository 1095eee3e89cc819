// How the store reads and stamps an object's metadata: the (namespace, name) key it is filed
// under, its resourceVersion, and the identity (uid, creationTimestamp) every stored object keeps
// from creation on. Pure functions on JSON; no I/O beyond drawing random bits for a uid.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::storage {

struct ObjectKey {
  std::string ns;  // "" for cluster-scoped objects
  std::string name;
};

// BadRequest when the object is not a JSON object or has no metadata.name.
Result<ObjectKey> object_key(const nlohmann::json& object);

// metadata.resourceVersion as a string; "" when absent.
std::string resource_version_of(const nlohmann::json& object);
void set_resource_version(nlohmann::json& object, int64_t revision);

// Gives a new object a random (version 4) uid and a creationTimestamp unless the caller set them.
void stamp_identity(nlohmann::json& object);
// An update that omits uid or creationTimestamp keeps the stored ones: identity never changes
// just because a writer sent a partial metadata block.
void carry_identity(const nlohmann::json& stored, nlohmann::json& updated);

}  // namespace kinda::storage
