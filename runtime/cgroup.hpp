// Resource limits for containers through the kernel's cgroups: v2, or v1 with separate memory and
// cpu hierarchies. Groups are made below where this process itself sits (see CgroupSupport), so
// kinda works in delegated and nested trees. Without usable cgroups containers run unlimited and
// `kinda status` says why.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/error.hpp"

namespace kinda::runtime {

struct CgroupSupport {
  enum Mode { V2, V1, None };
  Mode mode = None;
  std::string reason;  // why None; "" otherwise
  // The directories groups are created in. v1: our own cgroup in the memory and in the cpu
  // hierarchy. v2 (both the same): the parent of our own cgroup, because a v2 cgroup holding
  // processes cannot hand controllers to children; our own when it is the top we can see.
  std::string memory_base;
  std::string cpu_base;
};

// Probes now: reads /proc/self/mountinfo and /proc/self/cgroup, then creates and removes a probe
// group in each base.
CgroupSupport detect_cgroups();

// Detected once per process, on first use, so the bases stay put for the process's lifetime. Every
// function below works on it. Processes that share a cluster's groups (daemon, shims) must share
// their cgroup, as children of the daemon do.
const CgroupSupport& cgroup_support();

// For `kinda status`: "v2", "v1" or "none (<reason>)".
std::string to_string(const CgroupSupport& support);

struct ResourceLimits {
  std::optional<int64_t> memory_bytes;    // hard limit; swap is disabled, as by the kubelet
  std::optional<int64_t> cpu_millicores;  // CFS quota per 100 ms period
};

struct ContainerCgroup {
  std::string relative_group;
  std::vector<std::string> procs_files;  // give them to ProcessSpec::join_cgroups
};

// relative_group is '/'-separated below the bases, e.g. "kinda-<cluster>/<pod-uid>/<container>".
// Missing parents are created (under v2 with memory and cpu handed down to their children). The
// limits are always written, unset ones as unlimited, so a group can be reused for a restart.
Result<ContainerCgroup> create_container_cgroup(const std::string& relative_group,
                                                const ResourceLimits& limits);

// Every process in the group and the groups below it, in all hierarchies, ascending; empty when
// there is no such group (or no cgroup support).
std::vector<pid_t> cgroup_pids(const std::string& relative_group);

// Removes the group and the groups below it, leaves first; a missing group is not an error. When
// processes remain, removes nothing and fails naming them: stop them first.
Status remove_cgroup(const std::string& relative_group);

// How many processes the kernel's OOM killer has killed in the group (and below it) since it was
// made; a container that died by SIGKILL while this grew was OOMKilled.
Result<uint64_t> cgroup_oom_kills(const std::string& relative_group);

}  // namespace kinda::runtime
