#include "api/strategic_merge.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr std::string_view kDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList";
constexpr std::string_view kSetElementOrder = "$setElementOrder";

Error bad_patch(const std::string& message) {
  return Error::bad_request(message);
}

std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// "$deleteFromPrimitiveList/finalizers" → "finalizers"; empty when `key` is not that directive.
// A directive key without its "/<list>" is malformed, as apimachinery's extractKey finds.
Result<std::string> directive_target(const std::string& key, std::string_view prefix,
                                     const char* malformed) {
  if (key.size() <= prefix.size() + 1 || key[prefix.size()] != '/')
    return Error::bad_request(malformed);
  return key.substr(prefix.size() + 1);
}

// Scalars compare by value, maps by their merge key (a missing key reads as null, as in Go).
const json& identity(const json& item, const std::string& merge_key) {
  static const json kNull;
  if (merge_key.empty() || !item.is_object()) return item;
  auto it = item.find(merge_key);
  return it == item.end() ? kNull : *it;
}

long index_in(const std::vector<json>& list, const json& item, const std::string& merge_key) {
  const json& wanted = identity(item, merge_key);
  for (size_t i = 0; i < list.size(); ++i)
    if (identity(list[i], merge_key) == wanted) return static_cast<long>(i);
  return -1;
}

// Stable sort by position in `order`; items absent from it keep their relative place at the end.
void sort_by(std::vector<json>& items, const std::vector<json>& order,
             const std::string& merge_key) {
  auto rank = [&](const json& item) {
    long i = index_in(order, item, merge_key);
    return i < 0 ? static_cast<long>(order.size()) : i;
  };
  std::stable_sort(items.begin(), items.end(),
                   [&](const json& a, const json& b) { return rank(a) < rank(b); });
}

// apimachinery's normalizeElementOrder: the patch's items in `patch_order`, the server-only items
// in their live order, interleaved where the live list orders both; a patch item the live list
// does not know goes before the server-only item being compared, which puts new items first.
std::vector<json> normalize_order(const std::vector<json>& merged,
                                  const std::vector<json>& patch_order,
                                  const std::vector<json>& live_order,
                                  const std::string& merge_key) {
  std::vector<json> from_patch, server_only;
  for (const auto& item : merged)
    (index_in(patch_order, item, merge_key) >= 0 ? from_patch : server_only).push_back(item);
  sort_by(from_patch, patch_order, merge_key);
  sort_by(server_only, live_order, merge_key);
  std::vector<json> out;
  size_t i = 0, j = 0;
  while (i < server_only.size() || j < from_patch.size()) {
    if (j >= from_patch.size()) {
      out.push_back(server_only[i++]);
    } else if (i >= server_only.size()) {
      out.push_back(from_patch[j++]);
    } else {
      long left = index_in(live_order, server_only[i], merge_key);
      long right = index_in(live_order, from_patch[j], merge_key);
      if (left >= 0 && right >= 0 && left < right)
        out.push_back(server_only[i++]);
      else
        out.push_back(from_patch[j++]);
    }
  }
  return out;
}

std::vector<json> items_of(const json& list) {
  return list.is_array() ? list.get<std::vector<json>>() : std::vector<json>{};
}

// Lists of lists are not in the API; every element of one list must be of the same JSON type.
Status check_element_types(const json& original, const json& patch) {
  const json* first = nullptr;
  for (const json* list : {&original, &patch}) {
    for (const auto& item : *list) {
      if (item.is_array()) return bad_patch("lists of lists are not supported");
      bool same =
          !first || first->type() == item.type() || (first->is_number() && item.is_number());
      if (!same)
        return bad_patch("list element types are not identical: " + original.dump() + " " +
                         patch.dump());
      if (!first) first = &item;
    }
  }
  return Ok{};
}

Error missing_merge_key(const json& item, const std::string& merge_key) {
  return bad_patch("map: " + item.dump() + " does not contain declared merge key: " + merge_key);
}

class Merger {
 public:
  explicit Merger(const PatchSchema& schema) : schema_(schema) {}

  Result<json> merge_map(json original, json patch, const std::string& path) const {
    if (!original.is_object()) original = json::object();
    if (auto directive = patch.find(kDirective); directive != patch.end()) {
      if (*directive == "replace") {
        patch.erase(directive);
        return merge_map(json::object(), std::move(patch), path);
      }
      if (*directive == "delete") return json::object();
      return bad_patch("unknown patch type: " + text_of(*directive) + " in map: " + patch.dump());
    }
    if (auto st = retain_keys(original, patch); !st) return st.error();
    if (auto st = set_element_orders(original, patch, path); !st) return st.error();
    for (auto& [key, value] : patch.items()) {
      if (key.starts_with(kDeleteFromPrimitiveList)) {
        if (auto st = delete_from_list(original, key, value); !st) return st.error();
        continue;
      }
      if (value.is_null()) {
        original.erase(key);
        continue;
      }
      std::string at = child(path, key);
      auto current = original.find(key);
      Result<json> merged =
          current == original.end() ? fresh(value, at) : merge_value(*current, value, at);
      if (!merged) return merged.error();
      original[key] = std::move(*merged);
    }
    return original;
  }

 private:
  Result<json> merge_value(const json& original, const json& patch, const std::string& path) const {
    if (original.is_object() && patch.is_object()) return merge_map(original, patch, path);
    if (original.is_array() && patch.is_array())
      return merge_list(original, patch, path, schema_.list_strategy(path));
    if (patch.is_object() || patch.is_array()) return fresh(patch, path);
    return patch;
  }

  // A value with nothing to merge into still has its directives and nulls applied.
  Result<json> fresh(const json& patch, const std::string& path) const {
    if (patch.is_object()) return merge_map(json::object(), patch, path);
    if (patch.is_array())
      return merge_list(json::array(), patch, path, schema_.list_strategy(path));
    return patch;
  }

  Result<json> merge_list(const json& original, const json& patch, const std::string& path,
                          const ListStrategy& strategy) const {
    if (!strategy.merge) return patch;
    if (original.empty() && patch.empty()) return original;
    if (auto st = check_element_types(original, patch); !st) return st.error();
    bool maps = (!original.empty() ? original.front() : patch.front()).is_object();
    if (!maps) return merge_scalars(original, patch);
    if (strategy.merge_key.empty())
      return bad_patch("cannot merge lists without merge key for " + path);
    return merge_maps(original, patch, path, strategy.merge_key);
  }

  // A merged list of scalars (finalizers) is a set: the union, in apimachinery's order.
  static json merge_scalars(const json& original, const json& patch) {
    std::vector<json> merged;
    for (const json* list : {&original, &patch})
      for (const auto& item : *list)
        if (std::find(merged.begin(), merged.end(), item) == merged.end()) merged.push_back(item);
    return normalize_order(merged, items_of(patch), items_of(original), "");
  }

  Result<json> merge_maps(const json& original, const json& patch, const std::string& path,
                          const std::string& merge_key) const {
    std::vector<json> live = items_of(original);
    std::vector<json> plain;
    bool replace = false;
    for (const auto& item : patch) {
      auto directive = item.find(kDirective);
      if (directive == item.end()) {
        plain.push_back(item);
      } else if (*directive == "delete") {
        if (!item.contains(merge_key)) return missing_merge_key(item, merge_key);
        std::erase_if(live,
                      [&](const json& e) { return identity(e, merge_key) == item[merge_key]; });
      } else if (*directive == "replace") {
        replace = true;
      } else if (*directive == "merge") {
        return bad_patch("merging lists cannot yet be specified in the patch");
      } else {
        return bad_patch("unknown patch type: " + text_of(*directive) + " in map: " + item.dump());
      }
    }
    if (replace) {
      live.clear();
      for (const auto& item : plain) {
        auto cleaned = merge_map(json::object(), item, path);
        if (!cleaned) return cleaned.error();
        live.push_back(std::move(*cleaned));
      }
      return json(live);
    }
    std::vector<json> merged = live;
    for (const auto& item : plain) {
      if (!item.contains(merge_key)) return missing_merge_key(item, merge_key);
      long at = index_in(merged, item, merge_key);
      auto result = merge_map(at >= 0 ? merged[at] : json::object(), item, path);
      if (!result) return result.error();
      if (at >= 0)
        merged[at] = std::move(*result);
      else
        merged.push_back(std::move(*result));
    }
    return json(normalize_order(merged, plain, live, merge_key));
  }

  // $retainKeys: keys of the original not listed go; every key the patch sets must be listed.
  static Status retain_keys(json& original, json& patch) {
    auto directive = patch.find(kRetainKeys);
    if (directive == patch.end()) return Ok{};
    if (!directive->is_array()) return bad_patch("invalid patch format of retainKeys");
    std::set<std::string> keep;
    for (const auto& key : *directive)
      if (key.is_string()) keep.insert(key.get<std::string>());
    patch.erase(directive);
    for (const auto& [key, value] : patch.items()) {
      if (value.is_null() || key.starts_with(kDeleteFromPrimitiveList) ||
          key.starts_with(kSetElementOrder))
        continue;
      if (!keep.count(key)) return bad_patch("invalid patch format of retainKeys");
    }
    for (auto it = original.begin(); it != original.end();)
      it = keep.count(it.key()) ? std::next(it) : original.erase(it);
    return Ok{};
  }

  // $setElementOrder/<list>: the list is merged now and then ordered as the directive says.
  Status set_element_orders(json& original, json& patch, const std::string& path) const {
    std::vector<std::string> directives;
    for (const auto& [key, value] : patch.items())
      if (key.starts_with(kSetElementOrder)) directives.push_back(key);
    for (const auto& key : directives) {
      auto field =
          directive_target(key, kSetElementOrder, "invalid patch format of setElementOrder list");
      if (!field) return field.error();
      const json& order = patch[key];
      if (!order.is_array()) return bad_patch("invalid patch format of setElementOrder list");
      std::string at = child(path, *field);
      ListStrategy strategy = schema_.list_strategy(at);
      bool in_original = original.contains(*field) && original[*field].is_array();
      bool in_patch = patch.contains(*field);
      if (in_patch && !patch[*field].is_array())
        return bad_patch("invalid patch format of setElementOrder list");
      json live = in_original ? original[*field] : json::array();
      if (in_original || in_patch) {
        Result<json> merged = in_patch ? merge_list(live, patch[*field], at, strategy) : live;
        if (!merged) return merged.error();
        original[*field] =
            normalize_order(items_of(*merged), items_of(order), items_of(live), strategy.merge_key);
      }
      patch.erase(*field);
      patch.erase(key);
    }
    return Ok{};
  }

  // $deleteFromPrimitiveList/<list>: removes those values from a list of scalars.
  static Status delete_from_list(json& original, const std::string& key, const json& values) {
    auto field =
        directive_target(key, kDeleteFromPrimitiveList, "invalid patch format of primitive list");
    if (!field) return field.error();
    if (values.is_null()) {
      original.erase(*field);
      return Ok{};
    }
    if (!values.is_array()) return bad_patch("invalid patch format of primitive list");
    auto list = original.find(*field);
    if (list == original.end() || !list->is_array()) return Ok{};
    json kept = json::array();
    for (const auto& item : *list)
      if (std::find(values.begin(), values.end(), item) == values.end()) kept.push_back(item);
    *list = std::move(kept);
    return Ok{};
  }

  const PatchSchema& schema_;
};

}  // namespace

Result<json> strategic_merge(const json& original, const json& patch, const PatchSchema& schema) {
  if (!patch.is_object()) return bad_patch("invalid JSON document");
  return Merger(schema).merge_map(original, patch, "");
}

}  // namespace kinda::api
