// Discovery as the API server serves it, built from the resource table: /version, the legacy
// documents (/api, /api/v1, /apis, /apis/apps, /apis/apps/v1) and aggregated discovery
// (APIGroupDiscoveryList, apidiscovery.k8s.io v2 and v2beta1) for /api and /apis when the Accept
// header asks for it, as kubectl 1.32 and client-go do first. Only groups kinda serves resources
// of are listed: autoscaling/v1 (Scale) and policy/v1 (Eviction) appear only as the kinds of the
// statefulsets/scale and pods/eviction subresources, so those group-versions are not served.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

enum class DiscoveryFormat { kLegacy, kAggregatedV2, kAggregatedV2Beta1 };

// What an Accept header asks of /api and /apis: the highest-q media range kinda can produce,
// the first of equal ones; legacy JSON when nothing else is asked for.
DiscoveryFormat negotiate_discovery(std::string_view accept);
// The Content-Type of an answer in that format.
std::string discovery_content_type(DiscoveryFormat format);

nlohmann::json version_info();
// The legacy document for `path`, or nullopt when the path is not a discovery path.
std::optional<nlohmann::json> discovery_document(const std::string& path);
// The aggregated document for "/api" or "/apis".
nlohmann::json aggregated_discovery(const std::string& path, DiscoveryFormat format);
// The answer to a GET of a discovery path (negotiated), or nullopt for other paths.
std::optional<Response> discovery_response(const Request& request);

}  // namespace kinda::apiserver
