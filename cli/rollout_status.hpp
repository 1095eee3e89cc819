// kubectl's StatefulSet status viewer: the one-line rollout message for an observed StatefulSet and
// whether the rollout is done. Pure, so `rollout status` and its tests share it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::cli {

struct RolloutProgress {
  std::string message;  // with kubectl's trailing newline
  bool done = false;
};

// Errors (OnDelete sets) are final: kubectl stops watching on them.
Result<RolloutProgress> statefulset_rollout_status(const nlohmann::json& set);

}  // namespace kinda::cli
