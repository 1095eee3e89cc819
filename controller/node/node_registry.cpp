#include "controller/node/node_registry.hpp"

#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <utility>

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

const api::ResourceInfo& nodes_resource() {
  return *api::find_resource("nodes");
}

std::string go_arch(const std::string& machine) {
  if (machine == "x86_64") return "amd64";
  if (machine == "aarch64") return "arm64";
  if (machine == "i686" || machine == "i386") return "386";
  if (machine.rfind("armv", 0) == 0) return "arm";
  return machine;
}

std::string os_image() {
  std::ifstream in("/etc/os-release");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    auto value = line.substr(12);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    return value;
  }
  return "Linux";
}

json taints_of(const json& node) {
  const auto* taints = api::find_path(node, "spec.taints");
  return taints && taints->is_array() ? *taints : json::array();
}

json conditions_of(const json& node) {
  const auto* conditions = api::find_path(node, "status.conditions");
  return conditions ? *conditions : json::array();
}

void set_taints(json& node, json taints) {
  if (!node["spec"].is_object()) node["spec"] = json::object();
  if (taints.empty())
    node["spec"].erase("taints");
  else
    node["spec"]["taints"] = std::move(taints);
}

std::string status_message(const std::string& name, const std::string& status) {
  return "Node " + name + " status is now: " + status;
}

}  // namespace

HostFacts probe_host() {
  HostFacts host;
  struct utsname uts {};
  if (::uname(&uts) == 0) {
    host.kernel_version = uts.release;
    host.architecture = go_arch(uts.machine);
  }
  host.os_image = os_image();
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  host.cpus = cpus > 0 ? static_cast<int>(cpus) : 1;
  struct sysinfo info {};
  if (::sysinfo(&info) == 0)
    host.memory_bytes = static_cast<int64_t>(info.totalram) * static_cast<int64_t>(info.mem_unit);
  return host;
}

NodeRegistry::NodeRegistry(boost::asio::io_context& io, apiserver::ObjectService& objects,
                           client::EventRecorder& events, std::vector<std::string> names,
                           HostFacts host)
    : objects_(objects),
      events_(events),
      names_(std::move(names)),
      host_(std::move(host)),
      queue_(io, [this](const std::string& name) { sync_cordon_taint(name); }) {}

void NodeRegistry::start() {
  for (const auto& name : names_) register_node(name);
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) {
    if (e.resource == "nodes" && e.type != storage::EventType::Deleted)
      queue_.add(api::name_of(e.object));
  });
  for (const auto& node : objects_.store().list("nodes")) queue_.add(api::name_of(node));
}

void NodeRegistry::register_node(const std::string& name) {
  const auto now = api::now_rfc3339();
  auto existing = objects_.store().get("nodes", "", name);
  bool created = false;
  if (!existing) {
    existing = objects_.create(nodes_resource(), "", json{{"metadata", {{"name", name}}}});
    if (!existing) {
      spdlog::error("node {}: cannot register: {}", name, existing.error().message);
      return;
    }
    created = true;
  }
  json next = with_host_facts(*existing, host_);
  // A node failed with `kinda node fail` stays lost until `kinda node recover`.
  bool lost = !created && !ready_status(*existing).empty() && !node_ready(*existing);
  if (!lost) next["status"]["conditions"] = ready_conditions(now);
  auto written = objects_.store().update("nodes", next);
  if (!written) {
    spdlog::error("node {}: cannot update: {}", name, written.error().message);
    return;
  }
  spdlog::info("node {}: {}{}", name, created ? "registered" : "up to date",
               lost ? " (NotReady: failed, until `kinda node recover`)" : "");
  if (lost) return;
  events_.record(*written, "Normal", "Starting", "Starting kubelet.", "kubelet");
  if (created)
    events_.record(*written, "Normal", "RegisteredNode",
                   "Node " + name + " event: Registered Node " + name + " in Controller",
                   "node-controller");
}

Result<api::Object> NodeRegistry::mark_lost(const std::string& name) {
  auto node = objects_.get(nodes_resource(), "", name);
  if (!node) return node.error();
  const auto now = api::now_rfc3339();
  json next = *node;
  next["status"]["conditions"] = lost_conditions(conditions_of(next), now);
  set_taints(next,
             add_taints(taints_of(next), kUnreachableTaint, {"NoSchedule", "NoExecute"}, now));
  if (next == *node) return *node;
  auto written = objects_.store().update("nodes", next);
  if (!written) return written.error();
  spdlog::warn("node {}: lost (NotReady, tainted {})", name, kUnreachableTaint);
  events_.record(*written, "Normal", "NodeNotReady", status_message(name, "NodeNotReady"),
                 "node-controller");
  return written;
}

Result<api::Object> NodeRegistry::mark_ready(const std::string& name) {
  auto node = objects_.get(nodes_resource(), "", name);
  if (!node) return node.error();
  if (node_ready(*node) && !has_taint(*node, kUnreachableTaint)) return *node;
  json next = *node;
  next["status"]["conditions"] = ready_conditions(api::now_rfc3339());
  set_taints(next, remove_taints(taints_of(next), kUnreachableTaint));
  auto written = objects_.store().update("nodes", next);
  if (!written) return written.error();
  spdlog::info("node {}: recovered (Ready)", name);
  events_.record(*written, "Normal", "NodeReady", status_message(name, "NodeReady"), "kubelet");
  return written;
}

// As the node lifecycle controller does for a cordoned node: the unschedulable taint follows
// spec.unschedulable, so `describe node` shows it and tolerations decide as in Kubernetes.
void NodeRegistry::sync_cordon_taint(const std::string& name) {
  auto node = objects_.store().get("nodes", "", name);
  if (!node) return;
  bool cordoned = api::find_path(*node, "spec.unschedulable") &&
                  (*node)["spec"]["unschedulable"].is_boolean() &&
                  (*node)["spec"]["unschedulable"].get<bool>();
  if (cordoned == has_taint(*node, kUnschedulableTaint)) return;
  json next = *node;
  auto taints = taints_of(next);
  set_taints(next, cordoned
                       ? add_taints(taints, kUnschedulableTaint, {"NoSchedule"}, api::now_rfc3339())
                       : remove_taints(taints, kUnschedulableTaint));
  auto written = objects_.store().update("nodes", next);
  if (!written) {
    spdlog::warn("node {}: cannot update its taints: {}", name, written.error().message);
    return;
  }
  events_.record(*written, "Normal", cordoned ? "NodeNotSchedulable" : "NodeSchedulable",
                 status_message(name, cordoned ? "NodeNotSchedulable" : "NodeSchedulable"),
                 "kubelet");
}

}  // namespace kinda::controller
