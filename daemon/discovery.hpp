// Discovery documents (/version, /api, /api/v1, /apis, /apis/apps/v1) built from the resource
// table, so kubectl and client libraries can find what kinda serves.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kinda::daemon {

nlohmann::json version_info();
std::optional<nlohmann::json> discovery_document(const std::string& path);

}  // namespace kinda::daemon
