// Defaults of the stored kinds as Kubernetes' SetDefaults_* set them: a NetworkPolicy's
// policyTypes and port protocols, a PriorityClass's preemptionPolicy, a StorageClass's
// reclaimPolicy and volumeBindingMode, a PersistentVolume's reclaim policy and volume mode.
#pragma once

#include <nlohmann/json.hpp>

#include "api/resources.hpp"

namespace kinda::api {

// True when `resource` is one of these kinds (and the defaults were applied).
bool apply_stored_kind_defaults(const ResourceInfo& resource, nlohmann::json& object);

}  // namespace kinda::api
