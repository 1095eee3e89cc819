// The shape of kinda's simulated v1 Node objects, as pure functions: what a node reports about the
// machine (labels, addresses, capacity, nodeInfo), the conditions a live kubelet posts and those
// the node lifecycle controller writes once a node stops reporting, and the taints that go with
// them. The node registry stores what these return; the scheduler reads the result.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace kinda::controller {

// What every simulated node reports: they all share this machine.
struct HostFacts {
  std::string kernel_version;  // uname -r
  std::string os_image;        // PRETTY_NAME of /etc/os-release
  std::string architecture;    // GOARCH spelling: amd64, arm64
  int cpus = 1;
  int64_t memory_bytes = 0;
};

inline constexpr const char* kKubeletVersion = "v1.32.0-kinda";
inline constexpr const char* kMaxPods = "110";
inline constexpr const char* kUnreachableTaint = "node.kubernetes.io/unreachable";
inline constexpr const char* kUnschedulableTaint = "node.kubernetes.io/unschedulable";

// `node` with the labels, addresses, capacity and nodeInfo a kubelet registers, keeping labels
// and fields it does not own. Leaves conditions and taints alone.
nlohmann::json with_host_facts(nlohmann::json node, const HostFacts& host);

// The four conditions a healthy kubelet posts, Ready True with reason KubeletReady.
nlohmann::json ready_conditions(const std::string& now);
// What the node lifecycle controller writes when a node stops reporting: every condition Unknown
// with reason NodeStatusUnknown, keeping the last heartbeat times.
nlohmann::json lost_conditions(const nlohmann::json& conditions, const std::string& now);

// True when the node's Ready condition is True.
bool node_ready(const nlohmann::json& node);
// The status of the node's Ready condition ("True", "False", "Unknown"), "" when there is none.
std::string ready_status(const nlohmann::json& node);

// spec.taints with one taint of `key` per effect in `effects`, added when missing.
nlohmann::json add_taints(const nlohmann::json& taints, const std::string& key,
                          std::initializer_list<const char*> effects, const std::string& now);
// spec.taints without any taint of `key`.
nlohmann::json remove_taints(const nlohmann::json& taints, const std::string& key);
bool has_taint(const nlohmann::json& node, const std::string& key);

}  // namespace kinda::controller
