// Checks of a PodSpec, shared by bare Pods ("spec") and StatefulSet templates
// ("spec.template.spec"): volumes, containers and init containers (names unique across both),
// restartPolicy, grace period, hostname and subdomain.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

// `extra_volumes`: names mounts may use besides spec.volumes (a set's volumeClaimTemplates).
void check_pod_spec(Causes& causes, const nlohmann::json& spec, const std::string& path,
                    const std::set<std::string>& extra_volumes);

}  // namespace kinda::api
