#include "printers/node_row.hpp"

#include <algorithm>
#include <vector>

#include "api/object.hpp"
#include "printers/fields.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";

std::string address_of(const json& node, const std::string& type) {
  for (const auto& a : array_at(node, "status.addresses"))
    if (api::string_at(a, "type") == type) return api::string_at(a, "address");
  return "";
}

std::string or_value(const std::string& value, const std::string& fallback) {
  return value.empty() ? fallback : value;
}

}  // namespace

std::string node_status(const json& node) {
  std::string status = "Unknown";
  for (const auto& c : array_at(node, "status.conditions"))
    if (api::string_at(c, "type") == "Ready")
      status = api::string_at(c, "status") == "True" ? "Ready" : "NotReady";
  const json& unschedulable = field(node, "spec.unschedulable");
  if (unschedulable.is_boolean() && unschedulable.get<bool>()) status += ",SchedulingDisabled";
  return status;
}

std::string node_roles(const json& node) {
  std::vector<std::string> roles;
  const json& labels = field(node, "metadata.labels");
  if (labels.is_object())
    for (const auto& [key, value] : labels.items()) {
      if (key.rfind(kRolePrefix, 0) == 0 && key.size() > kRolePrefix.size())
        roles.push_back(key.substr(kRolePrefix.size()));
      else if (key == "kubernetes.io/role" && value.is_string() &&
               !value.get<std::string>().empty())
        roles.push_back(value.get<std::string>());
    }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  if (roles.empty()) return "<none>";
  std::string out;
  for (size_t i = 0; i < roles.size(); ++i) out += (i ? "," : "") + roles[i];
  return out;
}

PrintedRow print_node(const json& node) {
  PrintedRow row;
  row.cells = {
      json(api::name_of(node)),
      json(node_status(node)),
      json(node_roles(node)),
      created_age(node),
      json(api::string_at(node, "status.nodeInfo.kubeletVersion")),
      json(or_value(address_of(node, "InternalIP"), "<none>")),
      json(or_value(address_of(node, "ExternalIP"), "<none>")),
      json(or_value(api::string_at(node, "status.nodeInfo.osImage"), "<unknown>")),
      json(or_value(api::string_at(node, "status.nodeInfo.kernelVersion"), "<unknown>")),
      json(or_value(api::string_at(node, "status.nodeInfo.containerRuntimeVersion"), "<unknown>"))};
  return row;
}

}  // namespace kinda::printers
