// metadata.managedFields as the API server keeps them: one entry per (manager, operation,
// subresource) with the fields that manager set (FieldsV1). An Update takes the fields it changed
// from every other manager; fields that are gone belong to nobody. Server-owned fields (name,
// uid, resourceVersion, …) and, outside the status subresource, status are never owned.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/field_set.hpp"

namespace kinda::api {

struct ManagerEntry {
  std::string manager;
  std::string operation;    // "Apply" or "Update"
  std::string subresource;  // "", "status", "scale"
  std::string api_version;
  std::string time;  // RFC 3339, seconds
};

// The fields a write may own: without server-owned metadata, and only status for "status".
FieldSet ownable(FieldSet fields, const std::string& subresource);

// The entries of `object` (metadata.managedFields), or none.
const nlohmann::json& managed_fields_of(const nlohmann::json& object);

// Records a write from `before` (null for a create) to `after` by `who` in after's
// metadata.managedFields. A write that changed no ownable field leaves them as they are.
void record_update(const StructType* type, const nlohmann::json& before, nlohmann::json& after,
                   const ManagerEntry& who);

// Replaces the fields `who` owns with `owned` and takes `taken` from every other manager; entries
// left owning nothing are dropped.
void set_owner(nlohmann::json& object, const ManagerEntry& who, const FieldSet& owned,
               const FieldSet& taken);

// What `who` owns in `object` (empty when it has no entry).
FieldSet owned_by(const nlohmann::json& object, const ManagerEntry& who);

// What every other entry owns, entry by entry (for conflicts).
std::vector<std::pair<ManagerEntry, FieldSet>> other_owners(const nlohmann::json& object,
                                                            const ManagerEntry& who);

}  // namespace kinda::api
