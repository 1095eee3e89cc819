// Checks of the metadata a controller copies from a template into each object it makes (pods,
// claims): shared by StatefulSet, DaemonSet, Job and CronJob validation, so a template that
// would make objects the API refuses is refused itself.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

// A labels (or selector) map: string values of at most 63 characters, keys with a 1-63
// character name part.
void check_label_map(Causes& c, const nlohmann::json& map, const std::string& path);

void check_template_metadata(Causes& c, const nlohmann::json& meta, const std::string& path);

}  // namespace kinda::api
