// A node's row as the API server prints it (kubernetes printNode): STATUS "Ready" or "NotReady"
// from the Ready condition ("Unknown" without one), then ",SchedulingDisabled" when cordoned;
// ROLES from node-role.kubernetes.io/<role> and kubernetes.io/role labels.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

std::string node_status(const nlohmann::json& node);
std::string node_roles(const nlohmann::json& node);

PrintedRow print_node(const nlohmann::json& node);

}  // namespace kinda::printers
