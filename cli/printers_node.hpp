// How kubectl prints Nodes, as pure functions: the `get nodes` columns (STATUS "Ready",
// "Ready,SchedulingDisabled", "NotReady"; ROLES from node-role labels) and the body of
// `describe node` (taints, conditions, addresses, capacity, system info, the node's pods).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/printers.hpp"

namespace kinda::cli {

// STATUS: "Ready" or "NotReady" from the Ready condition ("Unknown" without one), then
// ",SchedulingDisabled" when cordoned.
std::string node_status(const nlohmann::json& node);
// ROLES: the suffixes of node-role.kubernetes.io/<role> labels and kubernetes.io/role, or <none>.
std::string node_roles(const nlohmann::json& node);

// The columns after NAME.
Row node_columns(bool wide);
Row node_cells(const nlohmann::json& node, const TableOptions& options);

// `describe node` up to (not including) its events, as tab-separated lines for align_tabbed;
// `pods` are the cluster's pods, of which those bound to the node are listed.
std::string describe_node(const nlohmann::json& node, const std::vector<nlohmann::json>& pods,
                          Clock::time_point now);

}  // namespace kinda::cli
