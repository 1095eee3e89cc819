// Validation of the kinds kinda stores and serves without acting on them (ServiceAccounts, RBAC,
// NetworkPolicies, PriorityClasses) and of the storage kinds (StorageClasses,
// PersistentVolumes), with the API server's field paths and messages (pkg/apis/*/validation).
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_role(Causes& c, const nlohmann::json& role);  // Role and ClusterRole
void check_role_binding(Causes& c, const nlohmann::json& binding, bool cluster);
void check_network_policy(Causes& c, const nlohmann::json& policy);
void check_priority_class(Causes& c, const nlohmann::json& pc);
void check_storage_class(Causes& c, const nlohmann::json& sc);
void check_persistent_volume(Causes& c, const nlohmann::json& pv);

// Updates: what Kubernetes keeps immutable.
void check_role_binding_update(Causes& c, const nlohmann::json& old_binding,
                               const nlohmann::json& binding);
void check_priority_class_update(Causes& c, const nlohmann::json& old_pc, const nlohmann::json& pc);
void check_storage_class_update(Causes& c, const nlohmann::json& old_sc, const nlohmann::json& sc);
void check_persistent_volume_update(Causes& c, const nlohmann::json& old_pv,
                                    const nlohmann::json& pv);

// Kubernetes' limits on PriorityClass values (pkg/apis/scheduling).
inline constexpr long long kHighestUserDefinablePriority = 1000000000;
inline constexpr long long kSystemCriticalPriority = 2000000000;

}  // namespace kinda::api
