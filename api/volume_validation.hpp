// A pod's volume sources as the API server validates them: exactly one source per volume, the
// names each source needs, items[].path relative with no ".." element, modes within 0–0777, the
// downward API's fields, a service account token's lifetime. Causes name the field as
// Kubernetes does (spec.volumes[0].configMap.items[1].path).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

void check_volume_source(Causes& c, const nlohmann::json& volume, const std::string& path);

}  // namespace kinda::api
