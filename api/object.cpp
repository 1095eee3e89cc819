#include "api/object.hpp"

#include <charconv>

namespace kinda::api {

const nlohmann::json* find_path(const Object& o, const std::string& dotted) {
  const nlohmann::json* cur = &o;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    std::string key =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::string string_at(const Object& o, const std::string& dotted, const std::string& fallback) {
  const auto* v = find_path(o, dotted);
  return v && v->is_string() ? v->get<std::string>() : fallback;
}

long long int_at(const Object& o, const std::string& dotted, long long fallback) {
  const auto* v = find_path(o, dotted);
  if (!v || !v->is_number()) return fallback;
  if (v->is_number_integer()) return v->get<long long>();
  // A float beyond long long's range has no conversion (undefined behaviour); it reads as absent.
  const double d = v->get<double>();
  return d > -9.2e18 && d < 9.2e18 ? static_cast<long long>(d) : fallback;
}

bool bool_at(const Object& o, const std::string& dotted, bool fallback) {
  const auto* v = find_path(o, dotted);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}

std::string name_of(const Object& o) {
  return string_at(o, "metadata.name");
}
std::string namespace_of(const Object& o) {
  return string_at(o, "metadata.namespace");
}
std::string uid_of(const Object& o) {
  return string_at(o, "metadata.uid");
}
std::string resource_version_of(const Object& o) {
  return string_at(o, "metadata.resourceVersion");
}

bool is_terminating(const Object& o) {
  const auto* ts = find_path(o, "metadata.deletionTimestamp");
  return ts && !ts->is_null();
}

std::string controller_uid(const Object& o) {
  const auto* refs = find_path(o, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  // These helpers read stored objects whose status (and ownerReferences) clients may have
  // written in any shape; a wrong type reads as absent instead of throwing in a controller.
  for (const auto& ref : *refs) {
    const auto* controller = find_path(ref, "controller");
    if (controller && controller->is_boolean() && controller->get<bool>())
      return string_at(ref, "uid");
  }
  return "";
}

bool pod_is_ready(const Object& pod) {
  const auto* conditions = find_path(pod, "status.conditions");
  if (!conditions || !conditions->is_array()) return false;
  for (const auto& c : *conditions)
    if (string_at(c, "type") == "Ready") return string_at(c, "status") == "True";
  return false;
}

std::string pod_phase(const Object& pod) {
  return string_at(pod, "status.phase", "Pending");
}

bool pod_finished(const Object& pod) {
  auto phase = pod_phase(pod);
  return phase == "Succeeded" || phase == "Failed";
}

bool pod_uses_claim(const Object& pod, const std::string& claim) {
  const auto* volumes = find_path(pod, "spec.volumes");
  if (!volumes || !volumes->is_array()) return false;
  for (const auto& v : *volumes)
    if (string_at(v, "persistentVolumeClaim.claimName") == claim) return true;
  return false;
}

bool pod_protects_claim(const Object& pod, const std::string& claim) {
  auto phase = string_at(pod, "status.phase");
  return pod_uses_claim(pod, claim) && !string_at(pod, "spec.nodeName").empty() &&
         phase != "Succeeded" && phase != "Failed";
}

std::optional<int> ordinal_of(const std::string& set_name, const std::string& pod_name) {
  if (pod_name.size() <= set_name.size() + 1 ||
      pod_name.compare(0, set_name.size(), set_name) != 0 || pod_name[set_name.size()] != '-')
    return std::nullopt;
  const char* first = pod_name.data() + set_name.size() + 1;
  const char* last = pod_name.data() + pod_name.size();
  if (*first == '0' && last - first > 1) return std::nullopt;
  int ordinal = 0;
  auto [ptr, ec] = std::from_chars(first, last, ordinal);
  if (ec != std::errc() || ptr != last || ordinal < 0) return std::nullopt;
  return ordinal;
}

}  // namespace kinda::api
