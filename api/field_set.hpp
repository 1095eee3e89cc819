// Sets of field paths in metadata.managedFields' FieldsV1 encoding, as server-side apply keeps
// them: "f:<field>" a field of a struct or map, "k:{\"name\":\"web\"}" the item of a keyed list,
// "v:<json>" a value of a set, "." the item itself. A path is in the set when its node is a leaf
// ({}) or holds "."; inner nodes only lead to their children. Pure values, no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/kind_types.hpp"

namespace kinda::api {

class FieldSet {
 public:
  FieldSet() = default;
  // FieldsV1 JSON as stored in managedFields; anything that is not an object reads as empty.
  static FieldSet from_json(const nlohmann::json& fields_v1);
  nlohmann::json to_json() const;

  // The leaves `value` sets, typed by `type` (nullptr: a struct of unknown fields, every key a
  // leaf). An empty struct or map is a leaf itself, as a whole list that merges atomically is.
  static FieldSet of_object(const StructType* type, const nlohmann::json& value);
  // The paths whose values differ between `before` and `after` (present in `after`), and the
  // paths `after` no longer has (`removed`).
  static void changes(const StructType* type, const nlohmann::json& before,
                      const nlohmann::json& after, FieldSet& changed, FieldSet& removed);

  bool empty() const { return !member_ && children_.empty(); }
  FieldSet& unite(const FieldSet& other);
  FieldSet minus(const FieldSet& other) const;
  FieldSet intersect(const FieldSet& other) const;
  // Leaves only; the API server's spelling: ".spec.replicas", ".spec.containers[name=\"web\"]".
  std::vector<std::string> paths() const;
  // Drops what a set names from an object: fields, list items by key, set values, and the
  // structs and maps that leaves empty.
  void remove_from(nlohmann::json& object) const;
  // Drops the node at `path` ({"f:metadata", "f:uid"}) with everything under it.
  void erase(const std::vector<std::string>& path);
  // The part of the set under one top-level field ("f:status"), still rooted at the object.
  FieldSet subset(const std::string& top_level) const;

 private:
  bool member_ = false;
  std::map<std::string, FieldSet> children_;
};

}  // namespace kinda::api
