// Checks of securityContext, at pod level (spec.securityContext) and container level, with the
// API server's field paths and messages: user and group ids in 0..2147483647, fsGroupChangePolicy
// and procMount among their values, and allowPrivilegeEscalation false beside privileged or
// CAP_SYS_ADMIN refused.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_pod_security_context(Causes& causes, const nlohmann::json& security_context,
                                const std::string& path);
void check_container_security_context(Causes& causes, const nlohmann::json& security_context,
                                      const std::string& path);

}  // namespace kinda::api
