// The admission plugins of the stored kinds, as the API server runs them between defaulting and
// storing: ServiceAccount (pods get the namespace's "default" account, a missing account is
// refused), Priority (priorityClassName resolved to spec.priority, one global default),
// DefaultStorageClass (claims without a class get the default one), PersistentVolumeClaimResize
// (only classes that allow expansion grow claims), and the Warning headers of kinds kinda stores
// but does not enforce (RBAC, NetworkPolicy). The decisions are pure functions over the objects
// they read; admit() feeds them from the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apiserver/registry/object_service.hpp"

namespace kinda::apiserver {

// spec.serviceAccountName (and the deprecated spec.serviceAccount) of a pod: "default" unless
// set; returns the name.
std::string default_service_account(Object& pod);
// The Priority plugin on a pod's create: spec.priority (and preemptionPolicy) from its class, or
// from the global default class when it names none. The 403's message when it is refused.
std::optional<std::string> resolve_priority(Object& pod, const std::vector<Object>& classes);
// The Priority plugin on a PriorityClass: a second globalDefault is refused (403 message).
std::optional<std::string> check_global_default(const Object& pc, const Object* old,
                                                const std::vector<Object>& classes);
// The name of the default StorageClass (is-default-class "true"; the newest of several), or "".
std::string default_storage_class(const std::vector<Object>& classes);
// DefaultStorageClass on a claim's create: spec.storageClassName when neither it nor the beta
// annotation is set.
void admit_claim_class(Object& claim, const std::vector<Object>& classes);
// A claim's update: growing needs a bound claim of a class with allowVolumeExpansion (403), and
// the request may not go below status.capacity (422).
std::optional<Error> check_claim_resize(const Object& old, const Object& claim,
                                        const std::vector<Object>& classes);
// The Warning a write of this kind gets because kinda does not act on it; "" for other kinds.
std::string unenforced_kind_warning(const api::ResourceInfo& r);

// Runs the plugins for a create (old null) or an update of `object` (defaulted already).
Status admit(const storage::Store& store, const api::ResourceInfo& r, Object& object,
             const Object* old, const WriteOptions& options);

}  // namespace kinda::apiserver
