// Checks of ConfigMaps and Secrets: data keys, value encodings, the 1 MiB size limit, the
// well-known Secret types' required keys, and immutability on update.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

// Kubernetes' limit on a ConfigMap's or Secret's total data size.
inline constexpr size_t kMaxConfigDataBytes = 1024 * 1024;

void check_configmap(Causes& causes, const nlohmann::json& configmap);
// Expects stringData already folded into data (see merge_secret_string_data).
void check_secret(Causes& causes, const nlohmann::json& secret);
void check_configmap_update(Causes& causes, const nlohmann::json& old_object,
                            const nlohmann::json& new_object);
void check_secret_update(Causes& causes, const nlohmann::json& old_object,
                         const nlohmann::json& new_object);

}  // namespace kinda::api
