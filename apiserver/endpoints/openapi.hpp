// /openapi/v3 and /openapi/v2, generated once from the resource table and the kinds' field table
// (api/kind_types), shaped for what kubectl 1.32 does with them:
//  - Validation (--validate=strict, the default) asks /openapi/v3/<group-version> whether the
//    PATCH operation of an object's kind takes fieldValidation. Every kind kinda serves says
//    yes, so kubectl sends fieldValidation=Strict and leaves the checking to the server.
//  - Client-side apply computes strategic merge patches from the OpenAPI schema only when the
//    PATCH operation lists application/strategic-merge-patch+json (v3) or the v2 document
//    defines the kind; otherwise from its compiled-in Go types, which carry Kubernetes' exact
//    patch strategies for every kind kinda serves. A schema missing one field it walks makes
//    kubectl print "warning: error calculating patch from openapi spec" and fall back anyway,
//    and ours leaves subtrees opaque, so the PATCH operations list every patch type but that
//    one and the v2 document (JSON, or protobuf as kubectl asks) defines nothing: kubectl then
//    uses its built-in types deterministically, and for kinds kinda does not serve it skips
//    client-side validation and reports kubectl's own "no matches for kind" instead of
//    "failed to download openapi".
//  - kubectl explain reads the v3 component schemas, which carry the patch metadata
//    (x-kubernetes-patch-merge-key/-strategy, list types) and x-kubernetes-group-version-kind.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

// The /openapi/v3 index: each group-version's document under its serverRelativeURL.
nlohmann::json openapi_v3_index();
// One group-version's document ("api/v1", "apis/apps/v1"); nullopt for others.
std::optional<nlohmann::json> openapi_v3_document(const std::string& group_version);
nlohmann::json openapi_v2_document();
// The v2 document in gnostic's protobuf encoding (openapi.v2.Document).
std::string openapi_v2_protobuf();

// The answer to GET /openapi/…, or nullopt for other paths.
std::optional<Response> openapi_response(const Request& request);

}  // namespace kinda::apiserver
