#include "api/server_side_apply.hpp"

#include <algorithm>

namespace kinda::api {
namespace {

using nlohmann::json;

void drop_nulls(json& value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end();) {
      if (it->is_null()) {
        it = value.erase(it);
      } else {
        drop_nulls(*it);
        ++it;
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) drop_nulls(item);
  }
}

json merge_struct(const StructType* type, json live, const json& config);

const json* find_keyed(const json& list, const std::string& key, const json& value) {
  for (const json& item : list)
    if (item.is_object() && item.contains(key) && item[key] == value) return &item;
  return nullptr;
}

json merge_field(const FieldType* field, const json* live, const json& config) {
  if (!field || !live) return config;
  const StructType* element = field->is_struct() ? KindTypes::get().find(field->element) : nullptr;
  switch (field->shape) {
    case FieldType::Shape::kValue:
      if (element && live->is_object() && config.is_object())
        return merge_struct(element, *live, config);
      return config;
    case FieldType::Shape::kMap: {
      if (!live->is_object() || !config.is_object()) return config;
      json out = *live;
      for (auto& [key, value] : config.items()) {
        auto it = out.find(key);
        out[key] = element && it != out.end() && it->is_object() && value.is_object()
                       ? merge_struct(element, *it, value)
                       : value;
      }
      return out;
    }
    case FieldType::Shape::kList:
      if (!live->is_array() || !config.is_array()) return config;
      if (field->merge == ListMerge::kScalarSet) {
        json out = *live;
        for (const json& v : config)
          if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
        return out;
      }
      if (field->merge == ListMerge::kByKey) {
        const std::string& key = field->merge_key;
        json out = json::array();
        for (const json& item : *live) {
          const json* applied =
              item.is_object() && item.contains(key) ? find_keyed(config, key, item[key]) : nullptr;
          out.push_back(applied && item.is_object() && applied->is_object()
                            ? merge_struct(element, item, *applied)
                            : item);
        }
        for (const json& item : config)
          if (!item.is_object() || !item.contains(key) || !find_keyed(*live, key, item[key]))
            out.push_back(item);
        return out;
      }
      return config;
  }
  return config;
}

json merge_struct(const StructType* type, json live, const json& config) {
  for (auto& [key, value] : config.items()) {
    auto it = live.find(key);
    json merged =
        merge_field(type ? type->field(key) : nullptr, it == live.end() ? nullptr : &*it, value);
    live[key] = std::move(merged);
  }
  return live;
}

std::string conflict_message(const std::vector<std::pair<ManagerEntry, FieldSet>>& conflicts,
                             size_t total) {
  auto owner = [](const ManagerEntry& who) {
    std::string s = "\"" + who.manager + "\"";
    if (!who.subresource.empty()) s += " with subresource \"" + who.subresource + "\"";
    if (!who.api_version.empty()) s += " using " + who.api_version;
    return s;
  };
  std::string message =
      "Apply failed with " + std::to_string(total) + (total == 1 ? " conflict: " : " conflicts: ");
  if (total == 1)
    return message + "conflict with " + owner(conflicts[0].first) + ": " +
           conflicts[0].second.paths()[0];
  for (const auto& [who, fields] : conflicts) {
    message += "conflicts with " + owner(who) + ":";
    for (const auto& path : fields.paths()) message += "\n- " + path;
    message += "\n";
  }
  return message;
}

// As the API server's last-applied manager: kubectl's first server-side apply of an object it
// applied client-side may take the fields its last-applied-configuration annotation names, so
// moving from one to the other does not conflict with kubectl's own earlier writes.
bool upgrades_client_side_apply(const StructType* type, const json& live,
                                const ApplyOptions& options,
                                const std::vector<std::pair<ManagerEntry, FieldSet>>& conflicts) {
  if (options.who.manager != "kubectl") return false;
  const json* annotation = nullptr;
  if (auto meta = live.find("metadata"); meta != live.end() && meta->is_object())
    if (auto annotations = meta->find("annotations");
        annotations != meta->end() && annotations->is_object())
      if (auto it = annotations->find("kubectl.kubernetes.io/last-applied-configuration");
          it != annotations->end() && it->is_string())
        annotation = &*it;
  if (!annotation) return false;
  json last_applied = json::parse(annotation->get<std::string>(), nullptr, false);
  if (!last_applied.is_object()) return false;
  const FieldSet allowed = ownable(FieldSet::of_object(type, last_applied), "");
  for (const auto& [who, fields] : conflicts)
    if (!fields.minus(allowed).empty()) return false;
  return true;
}

}  // namespace

Result<json> server_side_apply(const StructType* type, const json& live, json config,
                               const ApplyOptions& options) {
  if (!config.is_object()) return Error::bad_request("the applied configuration must be an object");
  if (auto meta = config.find("metadata"); meta != config.end() && meta->is_object()) {
    if (auto mf = meta->find("managedFields"); mf != meta->end() && !mf->is_null())
      return Error::bad_request("metadata.managedFields must be nil");
  }
  drop_nulls(config);

  const FieldSet applied = ownable(FieldSet::of_object(type, config), "");
  const FieldSet previous = owned_by(live, options.who);
  FieldSet others;
  auto owners = other_owners(live, options.who);
  for (const auto& [who, fields] : owners) others.unite(fields);

  json merged = live.is_object() ? live : json::object();
  previous.minus(applied).minus(others).remove_from(merged);
  merged = merge_struct(type, std::move(merged), config);

  FieldSet changed, removed;
  FieldSet::changes(type, live.is_object() ? live : json::object(), merged, changed, removed);
  changed = ownable(changed, "");
  removed = ownable(removed, "");

  std::vector<std::pair<ManagerEntry, FieldSet>> conflicts;
  size_t total = 0;
  for (const auto& [who, fields] : owners) {
    FieldSet clash = changed.intersect(fields).intersect(applied);
    if (clash.empty()) continue;
    total += clash.paths().size();
    conflicts.emplace_back(who, clash);
  }
  if (!conflicts.empty() && !options.force &&
      !upgrades_client_side_apply(type, live, options, conflicts)) {
    Error e{409, "Conflict", conflict_message(conflicts, total), {}};
    for (const auto& [who, fields] : conflicts)
      for (const auto& path : fields.paths())
        e.causes.push_back({path, "conflict with \"" + who.manager + "\"", "FieldManagerConflict"});
    return e;
  }
  FieldSet taken = changed;
  taken.unite(removed);
  set_owner(merged, options.who, applied, taken);
  return merged;
}

}  // namespace kinda::api
