// Checks of a container's probes and lifecycle hooks: exactly one handler, each handler's required
// fields, port numbers or names, and the probe timings. Handlers kinda cannot run (grpc) are
// refused here rather than failing every probe later.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_probe(Causes& causes, const nlohmann::json& probe, const std::string& path);
// preStop/postStart; a sleep handler must end within the pod's grace period.
void check_lifecycle(Causes& causes, const nlohmann::json& lifecycle, const std::string& path,
                     long long grace_period_seconds);
// A port given as a number (1-65535) or as the name of a container port (IANA_SVC_NAME).
void check_port_number_or_name(Causes& causes, const nlohmann::json& port, const std::string& path);

}  // namespace kinda::api
