// Checks of one container or init container of a pod spec, with Kubernetes' field paths: name,
// image, command, working directory, ports, env, probes, lifecycle hooks, volume mounts and
// resources. Names unique across the pod are the pod spec's check.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

struct ContainerRules {
  std::set<std::string> volume_names;  // the pod's volumes (and a set's claim templates)
  bool init = false;                   // an initContainers entry
  long long grace_period_seconds = 30;
};

void check_container(Causes& causes, const nlohmann::json& container, const std::string& path,
                     const ContainerRules& rules);
// limits/requests: only cpu, memory and ephemeral-storage, valid quantities, requests ≤ limits.
void check_resource_requirements(Causes& causes, const nlohmann::json& resources,
                                 const std::string& path);

}  // namespace kinda::api
