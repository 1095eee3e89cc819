// The rows of Deployments and ReplicaSets as the API server's printers fill them
// (printDeployment, printReplicaSet), wide columns included.
#pragma once

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

PrintedRow print_deployment(const nlohmann::json& deployment);
PrintedRow print_replicaset(const nlohmann::json& replicaset);

}  // namespace kinda::printers
