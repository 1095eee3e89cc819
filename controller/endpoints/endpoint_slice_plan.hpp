// The EndpointSlice decisions for a Service as pure functions, as Kubernetes' EndpointSlice
// controller makes them: IPv4 slices of at most 100 endpoints, one group per set of ports the
// pods resolve (a named targetPort may be a different number on each pod), terminating pods
// kept with ready=false, a placeholder slice without endpoints when there are none, and the
// stored slices reused where they can be so that a change updates instead of replacing. No I/O.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

inline constexpr const char* kServiceNameLabel = "kubernetes.io/service-name";
inline constexpr const char* kManagedByLabel = "endpointslice.kubernetes.io/managed-by";
inline constexpr const char* kManagedByController = "endpointslice-controller.k8s.io";
inline constexpr size_t kMaxEndpointsPerSlice = 100;

struct SlicePlan {
  std::vector<Object> create;  // new slices, named by generateName "<service>-"
  std::vector<Object> update;  // stored slices with new contents (resourceVersion kept)
  std::vector<Object> remove;  // stored slices to delete
  bool empty() const { return create.empty() && update.empty() && remove.empty(); }
};

// The value of label `key` of a slice ("" without it). Label keys hold dots, so a dotted path
// (api::string_at) cannot name them.
std::string slice_label(const Object& slice, const std::string& key);

// The slices `service` should have, from the pods of its namespace; none for a service that
// keeps no pod endpoints (no selector, ExternalName).
std::vector<Object> desired_endpoint_slices(const Object& service, const std::vector<Object>& pods);

// What to write so that the slices this controller manages for the service (`stored`; others,
// a user's or another manager's, are never touched) become `desired_endpoint_slices`.
SlicePlan plan_endpoint_slices(const Object& service, const std::vector<Object>& pods,
                               const std::vector<Object>& stored);

}  // namespace kinda::controller
