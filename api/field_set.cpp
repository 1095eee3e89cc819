#include "api/field_set.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

// What the walk knows of a value: the struct it is, or the field type it has (map, list or a
// scalar); neither for fields the table does not declare.
struct Typed {
  const StructType* structure = nullptr;
  const FieldType* field = nullptr;
};

Typed of_element(const std::string& element) {
  return Typed{KindTypes::get().find(element), nullptr};
}

Typed of_field(const StructType* parent, const std::string& name) {
  if (!parent) return {};
  const FieldType* f = parent->field(name);
  if (!f) return {};
  if (f->shape == FieldType::Shape::kValue) return of_element(f->element);
  return Typed{nullptr, f};
}

std::string item_key(const FieldType& list, const json& item) {
  return "k:" + json{{list.merge_key, item[list.merge_key]}}.dump();
}

bool keyed(const FieldType& list, const json& item) {
  return item.is_object() && item.contains(list.merge_key);
}

bool is_keyed_list(const Typed& t) {
  return t.field && t.field->shape == FieldType::Shape::kList &&
         t.field->merge == ListMerge::kByKey;
}

bool is_scalar_set(const Typed& t) {
  return t.field && t.field->shape == FieldType::Shape::kList &&
         t.field->merge == ListMerge::kScalarSet;
}

bool is_map(const Typed& t) {
  return t.field && t.field->shape == FieldType::Shape::kMap;
}

// Descends from a struct, a map or a keyed list item into the field, map entry or item named.
Typed child_type(const Typed& t, const std::string& key) {
  if (t.structure) return of_field(t.structure, key);
  if (is_map(t)) return of_element(t.field->element);
  return {};
}

const json* find_item(const json& list, const FieldType& type, const std::string& key) {
  for (const json& item : list)
    if (keyed(type, item) && item_key(type, item) == key) return &item;
  return nullptr;
}

std::string path_segment(const std::string& key) {
  if (key.starts_with("f:")) return "." + key.substr(2);
  if (key.starts_with("v:")) return "[=" + key.substr(2) + "]";
  if (key.starts_with("k:")) {
    json fields = json::parse(key.substr(2), nullptr, false);
    std::string out = "[";
    if (fields.is_object())
      for (auto& [name, value] : fields.items())
        out += (out.size() > 1 ? "," : "") + name + "=" + value.dump();
    return out + "]";
  }
  return key;
}

}  // namespace

FieldSet FieldSet::from_json(const json& fields_v1) {
  FieldSet set;
  if (!fields_v1.is_object()) return set;
  for (auto& [key, value] : fields_v1.items()) {
    if (key == ".") {
      set.member_ = true;
      continue;
    }
    FieldSet child = from_json(value);
    if (value.is_object() && value.empty()) child.member_ = true;
    set.children_[key] = std::move(child);
  }
  return set;
}

json FieldSet::to_json() const {
  json out = json::object();
  if (member_ && !children_.empty()) out["."] = json::object();
  for (const auto& [key, child] : children_) out[key] = child.to_json();
  return out;
}

namespace {

FieldSet typed_of(const Typed& type, const json& value);

// A keyed list item or a map entry: the item itself and its fields.
FieldSet item_of(const Typed& element, const json& item) {
  FieldSet set = typed_of(element, item);
  FieldSet member = FieldSet::from_json(json{{".", json::object()}});
  return member.unite(set);
}

FieldSet typed_of(const Typed& type, const json& value) {
  json encoded = json::object();
  if (is_keyed_list(type) && value.is_array()) {
    Typed element = of_element(type.field->element);
    for (const json& item : value)
      if (keyed(*type.field, item))
        encoded[item_key(*type.field, item)] = item_of(element, item).to_json();
  } else if (is_scalar_set(type) && value.is_array()) {
    for (const json& item : value) encoded["v:" + item.dump()] = json::object();
  } else if ((type.structure || is_map(type)) && value.is_object()) {
    for (auto& [key, child] : value.items())
      encoded["f:" + key] = typed_of(child_type(type, key), child).to_json();
  }
  if (encoded.empty()) return FieldSet::from_json(json{{".", json::object()}});
  return FieldSet::from_json(encoded);
}

}  // namespace

FieldSet FieldSet::of_object(const StructType* type, const json& value) {
  FieldSet set;
  if (!value.is_object()) return set;
  for (auto& [key, child] : value.items()) {
    FieldSet field = typed_of(of_field(type, key), child);
    set.children_["f:" + key] = std::move(field);
  }
  return set;
}

namespace {

void typed_changes(const Typed& type, const json& before, const json& after, FieldSet& changed,
                   FieldSet& removed);

// Records the difference at `key` (a child of the node the two sets stand for).
void child_changes(const Typed& type, const std::string& key, const json* before, const json* after,
                   json& changed, json& removed) {
  if (before && after && *before == *after) return;
  if (!after) {
    FieldSet gone = typed_of(type, *before);
    removed[key] = gone.unite(FieldSet::from_json(json{{".", json::object()}})).to_json();
    return;
  }
  if (!before) {
    changed[key] = typed_of(type, *after).to_json();
    return;
  }
  FieldSet c, r;
  typed_changes(type, *before, *after, c, r);
  if (!c.empty()) changed[key] = c.to_json();
  if (!r.empty()) removed[key] = r.to_json();
}

void typed_changes(const Typed& type, const json& before, const json& after, FieldSet& changed,
                   FieldSet& removed) {
  json c = json::object(), r = json::object();
  if (is_keyed_list(type) && before.is_array() && after.is_array()) {
    const FieldType& list = *type.field;
    Typed element = of_element(list.element);
    for (const json& item : after) {
      if (!keyed(list, item)) continue;
      std::string key = item_key(list, item);
      const json* old = find_item(before, list, key);
      if (!old) {
        c[key] = item_of(element, item).to_json();
      } else if (*old != item) {
        FieldSet ic, ir;
        typed_changes(element, *old, item, ic, ir);
        if (!ic.empty()) c[key] = ic.to_json();
        if (!ir.empty()) r[key] = ir.to_json();
      }
    }
    for (const json& item : before)
      if (keyed(list, item) && !find_item(after, list, item_key(list, item)))
        r[item_key(list, item)] = item_of(element, item).to_json();
  } else if (is_scalar_set(type) && before.is_array() && after.is_array()) {
    for (const json& v : after)
      if (std::find(before.begin(), before.end(), v) == before.end())
        c["v:" + v.dump()] = json::object();
    for (const json& v : before)
      if (std::find(after.begin(), after.end(), v) == after.end())
        r["v:" + v.dump()] = json::object();
  } else if ((type.structure || is_map(type)) && before.is_object() && after.is_object() &&
             !after.empty()) {
    for (auto& [key, value] : after.items()) {
      auto old = before.find(key);
      child_changes(child_type(type, key), "f:" + key, old == before.end() ? nullptr : &*old,
                    &value, c, r);
    }
    for (auto& [key, value] : before.items())
      if (!after.contains(key))
        child_changes(child_type(type, key), "f:" + key, &value, nullptr, c, r);
  } else {
    // A scalar, an atomic list or a change of type: the value as a whole.
    c["."] = json::object();
  }
  changed = FieldSet::from_json(c);
  removed = FieldSet::from_json(r);
}

}  // namespace

void FieldSet::changes(const StructType* type, const json& before, const json& after,
                       FieldSet& changed, FieldSet& removed) {
  json c = json::object(), r = json::object();
  const json empty = json::object();
  const json& b = before.is_object() ? before : empty;
  const json& a = after.is_object() ? after : empty;
  for (auto& [key, value] : a.items()) {
    auto old = b.find(key);
    child_changes(of_field(type, key), "f:" + key, old == b.end() ? nullptr : &*old, &value, c, r);
  }
  for (auto& [key, value] : b.items())
    if (!a.contains(key)) child_changes(of_field(type, key), "f:" + key, &value, nullptr, c, r);
  changed = from_json(c);
  removed = from_json(r);
}

FieldSet& FieldSet::unite(const FieldSet& other) {
  member_ = member_ || other.member_;
  for (const auto& [key, child] : other.children_) children_[key].unite(child);
  return *this;
}

FieldSet FieldSet::minus(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && !other.member_;
  for (const auto& [key, child] : children_) {
    auto it = other.children_.find(key);
    FieldSet rest = it == other.children_.end() ? child : child.minus(it->second);
    if (!rest.empty()) out.children_[key] = std::move(rest);
  }
  return out;
}

FieldSet FieldSet::intersect(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [key, child] : children_) {
    auto it = other.children_.find(key);
    if (it == other.children_.end()) continue;
    FieldSet both = child.intersect(it->second);
    if (!both.empty()) out.children_[key] = std::move(both);
  }
  return out;
}

std::vector<std::string> FieldSet::paths() const {
  std::vector<std::string> out;
  for (const auto& [key, child] : children_) {
    std::string here = path_segment(key);
    if (child.member_) out.push_back(here);
    for (const auto& below : child.paths()) out.push_back(here + below);
  }
  return out;
}

void FieldSet::remove_from(json& object) const {
  for (const auto& [key, child] : children_) {
    if (key.starts_with("f:") && object.is_object()) {
      auto it = object.find(key.substr(2));
      if (it == object.end()) continue;
      const bool had_fields = it->is_object() && !it->empty();
      child.remove_from(*it);
      // A whole field goes when the set names it, and so does a struct or map the removal left
      // empty: defaulting then fills it in again as for an object that never had it.
      if ((child.member_ && child.children_.empty()) ||
          (had_fields && it->is_object() && it->empty()))
        object.erase(it);
    } else if (key.starts_with("k:") && object.is_array()) {
      json wanted = json::parse(key.substr(2), nullptr, false);
      if (!wanted.is_object()) continue;
      for (auto it = object.begin(); it != object.end(); ++it) {
        bool match = it->is_object();
        for (auto& [name, value] : wanted.items())
          match = match && it->contains(name) && (*it)[name] == value;
        if (!match) continue;
        if (child.member_)
          object.erase(it);
        else
          child.remove_from(*it);
        break;
      }
    } else if (key.starts_with("v:") && object.is_array()) {
      json value = json::parse(key.substr(2), nullptr, false);
      object.erase(std::remove(object.begin(), object.end(), value), object.end());
    }
  }
}

void FieldSet::erase(const std::vector<std::string>& path) {
  FieldSet* node = this;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    auto it = node->children_.find(path[i]);
    if (it == node->children_.end()) return;
    node = &it->second;
  }
  if (!path.empty()) node->children_.erase(path.back());
}

FieldSet FieldSet::subset(const std::string& top_level) const {
  FieldSet out;
  if (auto it = children_.find(top_level); it != children_.end())
    out.children_[top_level] = it->second;
  return out;
}

}  // namespace kinda::api
