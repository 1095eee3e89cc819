// Checks of a container's env and envFrom lists: variable names, exactly one value source, and
// well-formed ConfigMap/Secret references. Whether the referenced objects exist is the kubelet's
// business at start time, as in Kubernetes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_env(Causes& causes, const nlohmann::json& env, const std::string& path);
void check_env_from(Causes& causes, const nlohmann::json& env_from, const std::string& path);

}  // namespace kinda::api
