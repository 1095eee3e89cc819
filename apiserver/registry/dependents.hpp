// What deleting an owner does to the objects that name it in metadata.ownerReferences, by the
// DeleteOptions' propagationPolicy, as the API server and its garbage collector do:
//   Orphan      the dependents lose their reference to the owner and stay;
//   Background  the owner goes at once and the garbage collector deletes the dependents after;
//   Foreground  the owner stays, terminating with the foregroundDeletion finalizer, until the
//               garbage collector has deleted every dependent that blocks its deletion.
// In kinda a StatefulSet owns its pods, ControllerRevisions and (with a whenDeleted=Delete
// retention policy) its claims. A Service owns its EndpointSlices, but they are not dependents
// here: they always go after the Service (Background), whatever the policy says, since slices
// naming a Service that is gone are of no use to anyone.
#pragma once

#include <string>

#include "api/error.hpp"
#include "api/resources.hpp"
#include "storage/store.hpp"

namespace kinda::apiserver {

using Object = nlohmann::json;

inline constexpr const char* kForegroundDeletion = "foregroundDeletion";

// Removes the owner's references from its dependents (Orphan).
Status orphan_dependents(storage::Store& store, const Object& owner);
// Whether a dependent with blockOwnerDeletion still names the owner (Foreground waits for none).
bool has_blocking_dependents(const storage::Store& store, const Object& owner);
// The owner marked for foreground deletion: deletionTimestamp and the foregroundDeletion
// finalizer. The caller writes it.
Object marked_for_foreground_deletion(Object owner);
// Whether the owner waits for its dependents (foregroundDeletion finalizer while terminating).
bool deleting_in_foreground(const Object& owner);

// The answer to a DELETE as the API server gives it: the registries of pods, claims, services and
// namespaces return the deleted object; the others return it while it is still there (terminating)
// and a Success Status naming it once it is gone.
Object deletion_answer(const api::ResourceInfo& r, const Object& removed);

}  // namespace kinda::apiserver
