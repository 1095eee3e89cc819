// What the Endpoints and the EndpointSlices of a Service share: the reference to each pod and the
// labels copied from the service.
#pragma once

#include <nlohmann/json.hpp>

#include "api/endpoint_membership.hpp"

namespace kinda::controller {

// targetRef: {kind: Pod, namespace, name, uid}; no resourceVersion, so that a pod's status
// updates do not rewrite its service's endpoints.
nlohmann::json pod_reference(const api::EndpointPod& pod);
// The service's labels, plus service.kubernetes.io/headless: "" when it is headless.
nlohmann::json endpoint_labels(const nlohmann::json& service);

}  // namespace kinda::controller
