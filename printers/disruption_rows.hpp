// kubectl's rows for DaemonSets and PodDisruptionBudgets, as the API server prints them
// (pkg/printers/internalversion printDaemonSet, printPodDisruptionBudget).
#pragma once

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

// NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE, wide CONTAINERS IMAGES
// SELECTOR.
PrintedRow print_daemonset(const nlohmann::json& ds);
// NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.
PrintedRow print_pod_disruption_budget(const nlohmann::json& pdb);

}  // namespace kinda::printers
