// Kubernetes defaulting for the objects kinda serves: fills the fields the API server would fill
// (restartPolicy, probe periods, updateStrategy, retention policy…) before validation and storage.
#pragma once

#include <nlohmann/json.hpp>

#include "api/resources.hpp"

namespace kinda::api {

void apply_defaults(const ResourceInfo& resource, nlohmann::json& object);
// Defaults of a PodSpec, shared by Pods and StatefulSet templates.
void apply_pod_spec_defaults(nlohmann::json& pod_spec);
// The API server's handling of a Secret's write-only stringData: each string value is
// base64-encoded into data (replacing a data entry of the same key) and stringData is dropped.
// Entries that are not strings stay behind for validation to name.
void merge_secret_string_data(nlohmann::json& secret);

}  // namespace kinda::api
