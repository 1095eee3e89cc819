// readOnlyRootFilesystem: which of a pod's mount points a container with a read-only root
// remounts read-only in a mount namespace of its own. Everything of the pod's root is, except its
// volumes (and what is mounted in them), /etc/hosts and /etc/resolv.conf, and the kernel's own
// trees (/proc, /sys, /dev), which stay as the pod has them, as a container runtime leaves them.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "api/error.hpp"

namespace kinda::runtime {

// From a /proc/<pid>/mountinfo text: the mount points (in order, once each) not at or below one
// of `writable` or the kernel's trees.
std::vector<std::string> read_only_root_mounts(const std::string& mountinfo,
                                               const std::vector<std::string>& writable);

// The same for the sandbox holder's mount namespace, as the holder sees its paths.
Result<std::vector<std::string>> read_only_root_mounts_of(pid_t holder,
                                                          const std::vector<std::string>& writable);

}  // namespace kinda::runtime
