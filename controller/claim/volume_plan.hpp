// The PersistentVolume side of claims, as pure functions (the claim controller applies them):
// what a provisioned volume looks like (the local-path provisioner's shape: pvc-<claim uid>, a
// hostPath at the claim's directory, claimRef, provisioned-by), how a claim and a volume are
// bound to each other (the PV controller's annotations and fields), which static volume a claim
// binds to, and what a claim's deletion does to its volume (reclaimPolicy).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

// GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName.
std::string claim_storage_class(const Object& claim);
// "pvc-<claim uid>", as external provisioners name what they provision.
std::string provisioned_volume_name(const Object& claim);
// The volume provisioned for `claim` by `storage_class` (null: a claim of no class that kinda
// backs with a directory anyway, as claims of clusters older than StorageClasses) at `path`.
Object provisioned_volume(const Object& claim, const Object* storage_class,
                          const std::string& path);
// The claim's metadata and spec once bound to `volume` (spec.volumeName, bind-completed, and
// bound-by-controller when the controller chose the volume).
Object bind_claim(Object claim, const Object& volume, bool by_controller);
// The claim's status once bound: Bound, the volume's access modes and capacity.
Object bound_claim_status(const Object& volume);
// The volume with its claimRef naming `claim`.
Object bind_volume(Object volume, const Object& claim);
// The Available static volume a Pending claim binds to: the one it names (spec.volumeName), or
// the smallest of its class (same access modes, enough capacity, no claimRef of another claim).
std::optional<std::string> matching_volume(const Object& claim, const std::vector<Object>& volumes);

enum class Reclaim { kDelete, kRetain, kFail };
// What a deleted claim's volume becomes: deleted with its data (Delete, for what kinda
// provisioned under `volumes_root`), Released with its data (Retain), or Failed (Delete of a
// volume kinda did not provision: it never deletes data it did not make).
Reclaim reclaim_of(const Object& volume, const std::string& volumes_root);

// The storage request a bound claim asks more than its volume has (expansion), or nullopt.
std::optional<std::string> expansion_request(const Object& claim, const Object& volume);

}  // namespace kinda::controller
