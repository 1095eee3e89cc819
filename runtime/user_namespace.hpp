// Unprivileged sandboxes: a user namespace in which a process without privileges holds the
// capabilities to make and fill mount and UTS namespaces. Used by the sandbox holder and the
// isolation probe.
#pragma once

#include <string>

namespace kinda::runtime {

// The contents of uid_map and gid_map for the new namespace, prepared before any fork because
// entering the namespace must not allocate.
struct IdMaps {
  std::string uid_map;
  std::string gid_map;
};

// Our effective uid and gid mapped to themselves, and nothing else. Not to root: the holder needs
// capabilities, not uid 0, and it has all of them in a namespace it created for as long as it does
// not exec. Containers that join it exec as a non-zero uid, so they lose those capabilities and
// run as the very user who started kinda, with files owned as on the host, and cannot undo the
// pod's mounts. Mapped to 0 they would run as a root that may remount inside the pod.
IdMaps own_id_maps();

// unshare(CLONE_NEWUSER) and writes the maps ("deny" to setgroups first, which unprivileged gid
// maps require). Async-signal-safe; the kernel refuses it in multi-threaded processes. Returns
// nullptr, or the step that failed with errno set.
const char* enter_user_namespace(const IdMaps& maps);

// Whether `id` is mapped in the text of a /proc/<pid>/uid_map or gid_map; tmpfs ownership options
// must name a mapped id.
bool id_mapped(const std::string& id_map, unsigned id);

}  // namespace kinda::runtime
