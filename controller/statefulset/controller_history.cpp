#include "controller/statefulset/controller_history.hpp"

#include <algorithm>
#include <set>

#include "api/object.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

uint32_t fnv32a(const std::string& data) {
  uint32_t h = 2166136261u;
  for (unsigned char c : data) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// Kubernetes' rand.SafeEncodeString alphabet: no vowels, so hashes never spell words.
std::string safe_encode(const std::string& s) {
  static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (unsigned char c : s) out += alphabet[c % (sizeof alphabet - 1)];
  return out;
}

Object template_of(const Object& set) {
  const auto* tmpl = api::find_path(set, "spec.template");
  return tmpl ? *tmpl : json::object();
}

}  // namespace

std::string revision_name(const Object& set, long long collision_count) {
  std::string text = template_of(set).dump();
  if (collision_count > 0) text += "/" + std::to_string(collision_count);
  return api::name_of(set) + "-" + safe_encode(std::to_string(fnv32a(text))).substr(0, 10);
}

Object revision_data(const Object& set) {
  Object tmpl = template_of(set);
  tmpl["$patch"] = "replace";
  return {{"spec", {{"template", tmpl}}}};
}

Object new_revision(const Object& set, const std::string& name, long long number) {
  Object revision = {{"apiVersion", "apps/v1"}, {"kind", "ControllerRevision"}};
  auto& meta = revision["metadata"];
  meta["name"] = name;
  meta["namespace"] = api::namespace_of(set);
  // The template's labels (which include the selector's) and the set's annotations, as the
  // controller copies them: `kubectl rollout history` shows kubernetes.io/change-cause from here.
  meta["labels"] = json::object();
  if (const auto* labels = api::find_path(set, "spec.template.metadata.labels");
      labels && labels->is_object())
    meta["labels"] = *labels;
  meta["labels"]["controller.kubernetes.io/hash"] = name.substr(api::name_of(set).size() + 1);
  if (const auto* annotations = api::find_path(set, "metadata.annotations");
      annotations && annotations->is_object() && !annotations->empty())
    meta["annotations"] = *annotations;
  meta["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                              {"kind", "StatefulSet"},
                              {"name", api::name_of(set)},
                              {"uid", api::uid_of(set)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}};
  revision["data"] = revision_data(set);
  revision["revision"] = number;
  return revision;
}

Object revision_template(const Object& revision) {
  const auto* tmpl = api::find_path(revision, "data.spec.template");
  if (!tmpl || !tmpl->is_object()) return json::object();
  Object out = *tmpl;
  out.erase("$patch");
  return out;
}

bool holds_template(const Object& revision, const Object& set) {
  return revision_template(revision) == template_of(set);
}

Object set_at_revision(const Object& set, const Object& revision) {
  Object out = set;
  out["spec"]["template"] = revision_template(revision);
  return out;
}

std::vector<std::string> revisions_to_trim(const std::vector<Object>& revisions,
                                           const std::vector<std::string>& in_use,
                                           long long limit) {
  std::set<std::string> live(in_use.begin(), in_use.end());
  std::vector<const Object*> spare;
  for (const auto& r : revisions)
    if (!live.count(api::name_of(r))) spare.push_back(&r);
  std::sort(spare.begin(), spare.end(), [](const Object* a, const Object* b) {
    return a->value("revision", 0LL) < b->value("revision", 0LL);
  });
  std::vector<std::string> trim;
  for (size_t i = 0; limit >= 0 && spare.size() > static_cast<size_t>(limit) &&
                     i < spare.size() - static_cast<size_t>(limit);
       ++i)
    trim.push_back(api::name_of(*spare[i]));
  return trim;
}

}  // namespace kinda::controller
