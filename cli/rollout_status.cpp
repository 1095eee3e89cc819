#include "cli/rollout_status.hpp"

#include "api/object.hpp"

namespace kinda::cli {

Result<RolloutProgress> statefulset_rollout_status(const nlohmann::json& set) {
  using api::find_path;
  using api::int_at;
  using api::string_at;
  // kubectl reads the object as it comes, without defaults: an absent updateStrategy.type is not
  // RollingUpdate, and rollingUpdate and partition count only when present.
  if (string_at(set, "spec.updateStrategy.type") != "RollingUpdate")
    return Error{0, "", "rollout status is only available for RollingUpdate strategy type", {}};
  long long observed = int_at(set, "status.observedGeneration");
  if (observed == 0 || int_at(set, "metadata.generation") > observed)
    return RolloutProgress{"Waiting for statefulset spec update to be observed...\n", false};
  const auto* replicas = find_path(set, "spec.replicas");
  long long ready = int_at(set, "status.readyReplicas");
  long long updated = int_at(set, "status.updatedReplicas");
  if (replicas && replicas->is_number() && ready < replicas->get<long long>())
    return RolloutProgress{"Waiting for " + std::to_string(replicas->get<long long>() - ready) +
                               " pods to be ready...\n",
                           false};
  const auto* rolling = find_path(set, "spec.updateStrategy.rollingUpdate");
  if (rolling && rolling->is_object()) {
    const auto* partition = find_path(*rolling, "partition");
    if (replicas && replicas->is_number() && partition && partition->is_number()) {
      long long wanted = replicas->get<long long>() - partition->get<long long>();
      if (updated < wanted)
        return RolloutProgress{
            "Waiting for partitioned roll out to finish: " + std::to_string(updated) + " out of " +
                std::to_string(wanted) + " new pods have been updated...\n",
            false};
    }
    return RolloutProgress{"partitioned roll out complete: " + std::to_string(updated) +
                               " new pods have been updated...\n",
                           true};
  }
  std::string update_revision = string_at(set, "status.updateRevision");
  if (update_revision != string_at(set, "status.currentRevision"))
    return RolloutProgress{"waiting for statefulset rolling update to complete " +
                               std::to_string(updated) + " pods at revision " + update_revision +
                               "...\n",
                           false};
  return RolloutProgress{"statefulset rolling update complete " +
                             std::to_string(int_at(set, "status.currentReplicas")) +
                             " pods at revision " + string_at(set, "status.currentRevision") +
                             "...\n",
                         true};
}

}  // namespace kinda::cli
