#include "controller/node/node_status.hpp"

#include <algorithm>

#include "api/object.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

json condition(const char* type, const char* status, const char* reason, const char* message,
               const std::string& now) {
  return {{"type", type},
          {"status", status},
          {"lastHeartbeatTime", now},
          {"lastTransitionTime", now},
          {"reason", reason},
          {"message", message}};
}

}  // namespace

json with_host_facts(json node, const HostFacts& host) {
  const std::string name = api::name_of(node);
  auto& labels = node["metadata"]["labels"];
  if (!labels.is_object()) labels = json::object();
  labels["kubernetes.io/hostname"] = name;
  labels["kubernetes.io/os"] = "linux";
  labels["kubernetes.io/arch"] = host.architecture;
  labels["beta.kubernetes.io/os"] = "linux";
  labels["beta.kubernetes.io/arch"] = host.architecture;
  if (!node["spec"].is_object()) node["spec"] = json::object();
  auto& status = node["status"];
  if (!status.is_object()) status = json::object();
  // Capacity is the machine's: every simulated node shares it, so it is reported, not enforced.
  json capacity = {{"cpu", std::to_string(host.cpus)},
                   {"memory", std::to_string(host.memory_bytes / 1024) + "Ki"},
                   {"pods", kMaxPods}};
  status["capacity"] = capacity;
  status["allocatable"] = capacity;
  status["addresses"] = {{{"type", "InternalIP"}, {"address", "127.0.0.1"}},
                         {{"type", "Hostname"}, {"address", name}}};
  status["daemonEndpoints"] = {{"kubeletEndpoint", {{"Port", 0}}}};
  status["nodeInfo"] = {
      {"kernelVersion", host.kernel_version},      {"osImage", host.os_image},
      {"containerRuntimeVersion", "kinda://shim"}, {"kubeletVersion", kKubeletVersion},
      {"kubeProxyVersion", kKubeletVersion},       {"operatingSystem", "linux"},
      {"architecture", host.architecture}};
  return node;
}

json ready_conditions(const std::string& now) {
  return {condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available", now),
          condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure", now),
          condition("PIDPressure", "False", "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available", now),
          condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now)};
}

json lost_conditions(const json& conditions, const std::string& now) {
  json out = json::array();
  for (const auto& c : conditions.is_array() ? conditions : json::array()) {
    json next = c;
    if (api::string_at(next, "status") != "Unknown") next["lastTransitionTime"] = now;
    next["status"] = "Unknown";
    next["reason"] = "NodeStatusUnknown";
    next["message"] = "Kubelet stopped posting node status.";
    out.push_back(std::move(next));
  }
  bool has_ready = std::any_of(out.begin(), out.end(),
                               [](const json& c) { return api::string_at(c, "type") == "Ready"; });
  if (!has_ready)
    out.push_back(condition("Ready", "Unknown", "NodeStatusUnknown",
                            "Kubelet stopped posting node status.", now));
  return out;
}

std::string ready_status(const json& node) {
  const auto* conditions = api::find_path(node, "status.conditions");
  if (!conditions || !conditions->is_array()) return "";
  for (const auto& c : *conditions)
    if (api::string_at(c, "type") == "Ready") return api::string_at(c, "status");
  return "";
}

bool node_ready(const json& node) {
  return ready_status(node) == "True";
}

json add_taints(const json& taints, const std::string& key,
                std::initializer_list<const char*> effects, const std::string& now) {
  json out = taints.is_array() ? taints : json::array();
  for (const char* effect : effects) {
    bool present = false;
    for (const auto& t : out)
      present =
          present || (api::string_at(t, "key") == key && api::string_at(t, "effect") == effect);
    if (present) continue;
    json taint = {{"key", key}, {"effect", effect}};
    // As the node lifecycle controller: NoExecute taints carry the time tolerations count from.
    if (std::string(effect) == "NoExecute") taint["timeAdded"] = now;
    out.push_back(std::move(taint));
  }
  return out;
}

json remove_taints(const json& taints, const std::string& key) {
  json out = json::array();
  for (const auto& t : taints.is_array() ? taints : json::array())
    if (api::string_at(t, "key") != key) out.push_back(t);
  return out;
}

bool has_taint(const json& node, const std::string& key) {
  const auto* taints = api::find_path(node, "spec.taints");
  if (!taints || !taints->is_array()) return false;
  for (const auto& t : *taints)
    if (api::string_at(t, "key") == key) return true;
  return false;
}

}  // namespace kinda::controller
