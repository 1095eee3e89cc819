#include "api/managed_fields.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

// Entries may come from clients (an update that sets managedFields), so nothing is assumed of
// their types.
std::string text(const json& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "";
}

FieldSet fields_of(const json& entry) {
  auto it = entry.find("fieldsV1");
  return it == entry.end() ? FieldSet() : FieldSet::from_json(*it);
}

bool same_entry(const json& entry, const ManagerEntry& who) {
  return entry.is_object() && text(entry, "manager") == who.manager &&
         text(entry, "operation") == who.operation && text(entry, "subresource") == who.subresource;
}

json entry_json(const ManagerEntry& who, const FieldSet& fields) {
  json entry = {{"manager", who.manager},        {"operation", who.operation},
                {"apiVersion", who.api_version}, {"time", who.time},
                {"fieldsType", "FieldsV1"},      {"fieldsV1", fields.to_json()}};
  if (!who.subresource.empty()) entry["subresource"] = who.subresource;
  return entry;
}

ManagerEntry entry_of(const json& entry) {
  return ManagerEntry{text(entry, "manager"), text(entry, "operation"), text(entry, "subresource"),
                      text(entry, "apiVersion"), text(entry, "time")};
}

}  // namespace

FieldSet ownable(FieldSet fields, const std::string& subresource) {
  if (subresource == "status") return fields.subset("f:status");
  for (const char* key : {"f:apiVersion", "f:kind", "f:status"}) fields.erase({key});
  for (const char* key : {"f:name", "f:namespace", "f:uid", "f:resourceVersion", "f:generation",
                          "f:creationTimestamp", "f:deletionTimestamp",
                          "f:deletionGracePeriodSeconds", "f:selfLink", "f:managedFields"})
    fields.erase({"f:metadata", key});
  if (fields.subset("f:metadata").paths().empty()) fields.erase({"f:metadata"});
  return fields;
}

const json& managed_fields_of(const json& object) {
  static const json none = json::array();
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return none;
  auto entries = meta->find("managedFields");
  return entries != meta->end() && entries->is_array() ? *entries : none;
}

void set_owner(json& object, const ManagerEntry& who, const FieldSet& owned,
               const FieldSet& taken) {
  json entries = json::array();
  bool placed = false;
  for (const json& entry : managed_fields_of(object)) {
    if (same_entry(entry, who)) {
      if (!owned.empty()) entries.push_back(entry_json(who, owned));
      placed = true;
      continue;
    }
    if (!entry.is_object()) continue;
    FieldSet rest = fields_of(entry).minus(taken);
    if (rest.empty()) continue;
    json kept = entry;
    kept["fieldsV1"] = rest.to_json();
    entries.push_back(std::move(kept));
  }
  if (!placed && !owned.empty()) entries.push_back(entry_json(who, owned));
  if (!object["metadata"].is_object()) object["metadata"] = json::object();
  if (entries.empty())
    object["metadata"].erase("managedFields");
  else
    object["metadata"]["managedFields"] = std::move(entries);
}

void record_update(const StructType* type, const json& before, json& after,
                   const ManagerEntry& who) {
  FieldSet changed, removed;
  FieldSet::changes(type, before, after, changed, removed);
  changed = ownable(changed, who.subresource);
  removed = ownable(removed, who.subresource);
  if (changed.empty() && removed.empty()) return;
  FieldSet mine = owned_by(after, who);
  mine.unite(changed);
  FieldSet taken = changed;
  taken.unite(removed);
  set_owner(after, who, mine.minus(removed), taken);
}

FieldSet owned_by(const json& object, const ManagerEntry& who) {
  for (const json& entry : managed_fields_of(object))
    if (same_entry(entry, who)) return fields_of(entry);
  return FieldSet();
}

std::vector<std::pair<ManagerEntry, FieldSet>> other_owners(const json& object,
                                                            const ManagerEntry& who) {
  std::vector<std::pair<ManagerEntry, FieldSet>> out;
  for (const json& entry : managed_fields_of(object))
    if (entry.is_object() && !same_entry(entry, who))
      out.emplace_back(entry_of(entry), fields_of(entry));
  return out;
}

}  // namespace kinda::api
