// The Deployment side of kubectl's rollout commands as pure functions (kubectl's
// DeploymentStatusViewer, DeploymentHistoryViewer and DeploymentRollbacker): a deployment's
// revisions are its ReplicaSets, numbered by their deployment.kubernetes.io/revision annotation.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "cli/rollout_status.hpp"

namespace kinda::cli {

// "Waiting for deployment "web" rollout to finish: …", "deployment "web" successfully rolled
// out"; an error once the Progressing condition says ProgressDeadlineExceeded.
Result<RolloutProgress> deployment_rollout_status(const nlohmann::json& deployment);

// The ReplicaSets of `rs_list` the deployment controls, by revision number (lowest first).
std::vector<nlohmann::json> deployment_revisions(const nlohmann::json& deployment,
                                                 const nlohmann::json& rs_list);
long long replicaset_revision(const nlohmann::json& rs);
// "REVISION  CHANGE-CAUSE" rows, from the sets' kubernetes.io/change-cause annotation.
std::string deployment_history_table(const std::vector<nlohmann::json>& revisions);
// A set's pod template without its pod-template-hash label: the deployment's template then.
nlohmann::json template_of_revision(const nlohmann::json& rs);
// The set `undo --to-revision` goes back to (0: the newest but one).
Result<nlohmann::json> deployment_rollback_target(const std::vector<nlohmann::json>& revisions,
                                                  long long to_revision);
// The JSON patch kubectl sends for undo: the set's template, and the deployment's annotations
// with the set's (those the controller copies) laid over them.
nlohmann::json deployment_rollback_patch(const nlohmann::json& deployment,
                                         const nlohmann::json& rs);

}  // namespace kinda::cli
