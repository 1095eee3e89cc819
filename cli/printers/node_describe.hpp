// How kubectl describes Nodes, as a pure function: taints, conditions, addresses, capacity,
// system info, the node's pods. STATUS and ROLES ("Ready,SchedulingDisabled", "control-plane")
// are the API server's printer's (printers/node_row.hpp), as in `get nodes`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/printers/printers.hpp"
#include "printers/node_row.hpp"

namespace kinda::cli {

using printers::node_roles;
using printers::node_status;

// `describe node` up to (not including) its events, as tab-separated lines for align_tabbed;
// `pods` are the cluster's pods, of which those bound to the node are listed.
std::string describe_node(const nlohmann::json& node, const std::vector<nlohmann::json>& pods,
                          Clock::time_point now);

}  // namespace kinda::cli
