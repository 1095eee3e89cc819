// The rows of the stored kinds as the API server's printers fill them (kubernetes
// pkg/printers/internalversion): ServiceAccounts, RoleBindings and ClusterRoleBindings,
// NetworkPolicies, PriorityClasses, StorageClasses and PersistentVolumes. Roles and ClusterRoles
// print NAME CREATED AT, as the default printer does.
#pragma once

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

// NAME SECRETS AGE
PrintedRow print_service_account(const nlohmann::json& account);
// NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS
PrintedRow print_role_binding(const nlohmann::json& binding);
// NAME POD-SELECTOR AGE
PrintedRow print_network_policy(const nlohmann::json& policy);
// NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY
PrintedRow print_priority_class(const nlohmann::json& pc);
// NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class
// named "<name> (default)".
PrintedRow print_storage_class(const nlohmann::json& sc);
// NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS
// REASON AGE, wide VOLUMEMODE
PrintedRow print_persistent_volume(const nlohmann::json& pv);

}  // namespace kinda::printers
