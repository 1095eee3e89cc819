// A pod's row as the API server prints it (kubernetes printPod): READY counts ready, running
// containers (restartable init containers too) out of the spec's; STATUS is the first that
// applies of Terminating/Unknown, an init container's state ("Init:1/2", "Init:Error"), the last
// container's waiting or terminated reason, status.reason and the phase; RESTARTS adds when the
// last restart was ("2 (5m ago)").
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

struct PodSummary {
  int ready = 0;
  int total = 0;
  std::string status;
  long long restarts = 0;
  std::optional<Clock::time_point> last_restart;  // the newest lastState.terminated.finishedAt
};

PodSummary summarize_pod(const nlohmann::json& pod);

std::string pod_ready(const nlohmann::json& pod);
std::string pod_status(const nlohmann::json& pod);
std::string pod_restarts(const nlohmann::json& pod, Clock::time_point now);

PrintedRow print_pod(const nlohmann::json& pod);

}  // namespace kinda::printers
