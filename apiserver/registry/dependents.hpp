// What deleting an owner does to the objects that name it in metadata.ownerReferences, by the
// DeleteOptions' propagationPolicy, as the API server and its garbage collector do:
//   Orphan      the dependents lose their reference to the owner and stay;
//   Background  the owner goes at once and the garbage collector deletes the dependents after;
//   Foreground  the owner stays, terminating with the foregroundDeletion finalizer, until the
//               garbage collector has deleted every dependent that blocks its deletion.
// Any object may own any other of its namespace (a cluster-scoped owner, objects anywhere): a
// StatefulSet its pods, ControllerRevisions and (whenDeleted=Delete) claims, a Deployment its
// ReplicaSets and they their pods, a Job its pods. Events are never looked at as dependents:
// they are the most numerous objects and no controller gives them owners.
#pragma once

#include <string>
#include <vector>

#include "api/error.hpp"
#include "api/resources.hpp"
#include "storage/store.hpp"

namespace kinda::apiserver {

using Object = nlohmann::json;

inline constexpr const char* kForegroundDeletion = "foregroundDeletion";

// The kinds whose objects may name an owner: every kind served but events.
std::vector<const api::ResourceInfo*> dependent_kinds();

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
