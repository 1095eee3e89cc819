#include "api/env_validation.hpp"

#include <set>

#include "api/names.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

void check_object_name(Causes& c, const json& ref, const std::string& path) {
  std::string name = string_field(ref, "name");
  if (name.empty()) return c.required(path + ".name");
  if (auto problem = check_dns1123_subdomain(name)) c.invalid(path + ".name", name, *problem);
}

void check_optional_flag(Causes& c, const json& ref, const std::string& path) {
  if (ref.contains("optional") && !ref["optional"].is_null() && !ref["optional"].is_boolean())
    c.invalid(path + ".optional", ref["optional"], "must be a boolean");
}

void check_key_ref(Causes& c, const json& ref, const std::string& path) {
  if (!ref.is_object()) return c.add(path, "must be an object");
  check_object_name(c, ref, path);
  std::string key = string_field(ref, "key");
  if (key.empty())
    c.required(path + ".key");
  else
    for (const auto& problem : check_config_key(key)) c.invalid(path + ".key", key, problem);
  check_optional_flag(c, ref, path);
}

void check_field_ref(Causes& c, const json& ref, const std::string& path) {
  static const std::set<std::string> field_paths = {
      "metadata.name",           "metadata.namespace", "metadata.uid", "spec.nodeName",
      "spec.serviceAccountName", "status.hostIP",      "status.podIP", "status.podIPs"};
  std::string fp = string_field(ref, "fieldPath");
  if (fp.empty()) return c.required(path + ".fieldPath");
  bool label_ref =
      fp.rfind("metadata.labels['", 0) == 0 || fp.rfind("metadata.annotations['", 0) == 0;
  if (!field_paths.count(fp) && !label_ref)
    c.unsupported(path + ".fieldPath", fp,
                  "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", "
                  "\"spec.nodeName\", \"status.hostIP\", \"status.podIP\"");
}

void check_value_from(Causes& c, const json& e, const std::string& path) {
  const json& from = e["valueFrom"];
  if (!from.is_object()) return c.add(path, "must be an object");
  int sources = 0;
  if (from.contains("fieldRef"))
    ++sources, check_field_ref(c, from["fieldRef"], path + ".fieldRef");
  if (from.contains("resourceFieldRef")) {
    ++sources;
    c.forbidden(path + ".resourceFieldRef",
                "kinda does not support resourceFieldRef; set the value in `value` instead");
  }
  if (from.contains("configMapKeyRef"))
    ++sources, check_key_ref(c, from["configMapKeyRef"], path + ".configMapKeyRef");
  if (from.contains("secretKeyRef"))
    ++sources, check_key_ref(c, from["secretKeyRef"], path + ".secretKeyRef");
  bool has_value = e.contains("value") && e["value"].is_string() && !e["value"].empty();
  if (sources == 0)
    c.invalid(path, "",
              "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
              "`secretKeyRef`");
  else if (has_value)
    c.invalid(path, "", "may not be specified when `value` is not empty");
  else if (sources > 1)
    c.invalid(path, "", "may not have more than one field specified at a time");
}

}  // namespace

void check_env(Causes& c, const json& env, const std::string& path) {
  if (env.is_null()) return;
  if (!env.is_array()) return c.add(path, "must be a list");
  for (size_t i = 0; i < env.size(); ++i) {
    std::string p = index_path(path, i);
    const json& e = env[i];
    if (!e.is_object()) {
      c.add(p, "must be an object");
      continue;
    }
    const json& name = e.value("name", json(""));
    if (!name.is_string() || name.get<std::string>().empty())
      c.required(p + ".name");
    else
      for (const auto& problem : check_env_var_name(name.get<std::string>()))
        c.invalid(p + ".name", name, problem);
    if (e.contains("value") && !e["value"].is_null() && !e["value"].is_string())
      c.invalid(p + ".value", e["value"], "must be a string (quote it in YAML)");
    if (e.contains("valueFrom") && !e["valueFrom"].is_null())
      check_value_from(c, e, p + ".valueFrom");
  }
}

void check_env_from(Causes& c, const json& env_from, const std::string& path) {
  if (env_from.is_null()) return;
  if (!env_from.is_array()) return c.add(path, "must be a list");
  for (size_t i = 0; i < env_from.size(); ++i) {
    std::string p = index_path(path, i);
    const json& source = env_from[i];
    if (!source.is_object()) {
      c.add(p, "must be an object");
      continue;
    }
    const json& prefix = source.value("prefix", json(""));
    if (!prefix.is_string())
      c.invalid(p + ".prefix", prefix, "must be a string");
    else if (!prefix.get<std::string>().empty())
      for (const auto& problem : check_env_var_name(prefix.get<std::string>()))
        c.invalid(p + ".prefix", prefix, problem);
    int sources = 0;
    for (const char* kind : {"configMapRef", "secretRef"}) {
      if (!source.contains(kind) || source[kind].is_null()) continue;
      ++sources;
      std::string ref_path = p + "." + kind;
      if (!source[kind].is_object()) {
        c.add(ref_path, "must be an object");
        continue;
      }
      check_object_name(c, source[kind], ref_path);
      check_optional_flag(c, source[kind], ref_path);
    }
    if (sources == 0)
      c.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`");
    else if (sources > 1)
      c.invalid(p, "", "may not have more than one field specified at a time");
  }
}

}  // namespace kinda::api
