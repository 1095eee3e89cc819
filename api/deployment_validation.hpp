// Deployments and ReplicaSets (apps/v1): the API server's ValidateDeployment/ValidateReplicaSet
// with their field paths and messages, the fields an update may not change, and the defaults
// (SetDefaults_Deployment, SetDefaults_ReplicaSet).
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_deployment(Causes& causes, const nlohmann::json& deployment);
void check_replicaset(Causes& causes, const nlohmann::json& replicaset);
// spec.selector is immutable in apps/v1, for both kinds.
void check_apps_selector_update(Causes& causes, const nlohmann::json& old_object,
                                const nlohmann::json& new_object);

void apply_deployment_defaults(nlohmann::json& deployment);
void apply_replicaset_defaults(nlohmann::json& replicaset);

}  // namespace kinda::api
