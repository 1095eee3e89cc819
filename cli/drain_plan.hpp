// Which pods `drain` may evict, decided as kubectl's drain filters do (pure, so tests pin the
// messages): DaemonSet-managed pods need --ignore-daemonsets and stay; mirror pods stay; pods with
// emptyDir data need --delete-emptydir-data; pods no controller owns need --force, since nothing
// would recreate them. Finished pods may always go.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::cli {

struct DrainFlags {
  bool force = false;
  bool ignore_daemonsets = false;
  bool delete_emptydir_data = false;
};

struct DrainPlan {
  std::vector<nlohmann::json> evict;
  // "deleting Pods that declare no controller: default/bare", one per kind of warning.
  std::vector<std::string> warnings;
  // "cannot delete Pods that declare no controller (use --force to override): default/bare".
  std::vector<std::string> errors;
};

DrainPlan plan_drain(const std::vector<nlohmann::json>& pods_on_node, const DrainFlags& flags);

// How kubectl's error aggregate reads: one error as it is, several as "[a, b]".
std::string aggregate(const std::vector<std::string>& errors);

}  // namespace kinda::cli
