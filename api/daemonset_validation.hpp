// apps/v1 DaemonSet as the API server checks it (ValidateDaemonSet, ValidateDaemonSetUpdate) and
// defaults it (SetDefaults_DaemonSet), with Kubernetes' messages and field paths.
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_daemonset(Causes& c, const nlohmann::json& ds);
// What may not change: the selector.
void check_daemonset_update(Causes& c, const nlohmann::json& old_ds, const nlohmann::json& ds);
// updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10,
// and the pod template's defaults.
void apply_daemonset_defaults(nlohmann::json& ds);

}  // namespace kinda::api
