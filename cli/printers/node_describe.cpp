#include "cli/printers/node_describe.hpp"

#include <algorithm>

#include "api/object.hpp"
#include "cli/printers/fields.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

class Lines {
 public:
  void add(const std::string& text) { out_ += text + "\n"; }
  // "Key:\tfirst" then "\tnext" lines, or "Key:\t<none>".
  void multiline(const std::string& key, const std::vector<std::string>& values) {
    if (values.empty()) return add(key + ":\t<none>");
    add(key + ":\t" + values[0]);
    for (size_t i = 1; i < values.size(); ++i) add("\t" + values[i]);
  }
  std::string text() const { return out_; }

 private:
  std::string out_;
};

std::vector<std::string> map_lines(const json& map, const std::string& separator) {
  std::vector<std::string> out;
  if (map.is_object())
    for (const auto& [k, v] : map.items()) out.push_back(k + separator + cell_text(v));
  return out;
}

std::vector<std::string> taint_lines(const json& node) {
  std::vector<std::string> out;
  for (const auto& t : array_at(node, "spec.taints")) {
    std::string value = t.value("value", "");
    out.push_back(t.value("key", "") + (value.empty() ? "" : "=" + value) + ":" +
                  t.value("effect", ""));
  }
  return out;
}

void resource_block(Lines& lines, const std::string& title, const json& resources) {
  lines.add(title + ":");
  if (!resources.is_object()) return;
  for (const auto& [name, value] : resources.items())
    lines.add("  " + name + ":\t" + cell_text(value));
}

}  // namespace

std::string describe_node(const json& node, const std::vector<json>& pods, Clock::time_point now) {
  Lines lines;
  const json& metadata = node.value("metadata", json::object());
  lines.add("Name:\t" + api::name_of(node));
  lines.add("Roles:\t" + node_roles(node));
  lines.multiline("Labels", map_lines(metadata.value("labels", json::object()), "="));
  lines.multiline("Annotations", map_lines(metadata.value("annotations", json::object()), ": "));
  lines.add("CreationTimestamp:\t" + describe_time(field(node, "metadata.creationTimestamp")));
  lines.multiline("Taints", taint_lines(node));
  const json& unschedulable = field(node, "spec.unschedulable");
  lines.add(std::string("Unschedulable:\t") +
            (unschedulable.is_boolean() && unschedulable.get<bool>() ? "true" : "false"));

  lines.add("Conditions:");
  lines.add("  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage");
  lines.add("  ----\t------\t-----------------\t------------------\t------\t-------");
  for (const auto& c : array_at(node, "status.conditions"))
    lines.add("  " + c.value("type", "") + "\t" + c.value("status", "") + "\t" +
              describe_time(c.value("lastHeartbeatTime", json())) + "\t" +
              describe_time(c.value("lastTransitionTime", json())) + "\t" + c.value("reason", "") +
              "\t" + c.value("message", ""));

  lines.add("Addresses:");
  for (const auto& a : array_at(node, "status.addresses"))
    lines.add("  " + a.value("type", "") + ":\t" + a.value("address", ""));
  resource_block(lines, "Capacity", field(node, "status.capacity"));
  resource_block(lines, "Allocatable", field(node, "status.allocatable"));

  const json& info = field(node, "status.nodeInfo");
  auto info_of = [&](const char* key) {
    return info.is_object() ? info.value(key, std::string()) : std::string();
  };
  lines.add("System Info:");
  lines.add("  Kernel Version:\t" + info_of("kernelVersion"));
  lines.add("  OS Image:\t" + info_of("osImage"));
  lines.add("  Operating System:\t" + info_of("operatingSystem"));
  lines.add("  Architecture:\t" + info_of("architecture"));
  lines.add("  Container Runtime Version:\t" + info_of("containerRuntimeVersion"));
  lines.add("  Kubelet Version:\t" + info_of("kubeletVersion"));
  lines.add("  Kube-Proxy Version:\t" + info_of("kubeProxyVersion"));

  std::vector<const json*> here;
  for (const auto& pod : pods) {
    auto phase = api::pod_phase(pod);
    if (api::string_at(pod, "spec.nodeName") == api::name_of(node) && phase != "Succeeded" &&
        phase != "Failed")
      here.push_back(&pod);
  }
  lines.add("Non-terminated Pods:\t(" + std::to_string(here.size()) + " in total)");
  if (!here.empty()) {
    lines.add("  Namespace\tName\tAge");
    lines.add("  ---------\t----\t---");
    for (const auto* pod : here)
      lines.add("  " + api::namespace_of(*pod) + "\t" + api::name_of(*pod) + "\t" +
                age_since(field(*pod, "metadata.creationTimestamp"), now));
  }
  return lines.text();
}

}  // namespace kinda::cli
