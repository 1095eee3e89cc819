// The kubelet's SetVolumeOwnership for a pod's fsGroup: every file and directory of a volume is
// made group-owned by fsGroup and group-readable (and -writable unless the volume is read-only,
// as ConfigMap and Secret volumes are); directories get setgid so new files inherit the group.
// fsGroupChangePolicy OnRootMismatch skips the walk when the volume's root already matches.
#pragma once

#include <sys/types.h>

#include <string>

#include "api/error.hpp"

namespace kinda::kubelet {

enum class FsGroupChangePolicy { Always, OnRootMismatch };

// Whether the root already has the group and bits the walk would give it.
bool volume_root_matches(const std::string& dir, gid_t fs_group, bool read_only);

Status set_volume_ownership(const std::string& dir, gid_t fs_group, bool read_only,
                            FsGroupChangePolicy policy = FsGroupChangePolicy::Always);

}  // namespace kinda::kubelet
