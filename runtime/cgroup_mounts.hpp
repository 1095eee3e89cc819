// Finds this process's own cgroup directories from the texts of /proc/self/mountinfo and
// /proc/self/cgroup. Pure: nothing is read here, so tests feed sample texts from any kind of
// machine (systemd v2, v1, hybrid, a container with a cgroup namespace).
#pragma once

#include <string>
#include <vector>

namespace kinda::runtime {

struct CgroupMount {
  std::string mount_point;  // in our mount namespace, unescaped
  std::string root;         // the hierarchy's directory shown there ("/" usually)
  bool unified = false;     // cgroup2
  std::vector<std::string>
      options;  // v1 only: super options (rw,cpu,cpuacct…), controllers among them
};

// Only the cgroup and cgroup2 entries, in mount order.
std::vector<CgroupMount> parse_cgroup_mounts(const std::string& mountinfo);

struct CgroupMembership {
  int hierarchy = 0;                     // 0 is the unified (v2) hierarchy
  std::vector<std::string> controllers;  // empty for the unified hierarchy
  std::string path;                      // relative to our cgroup namespace's root
};

std::vector<CgroupMembership> parse_proc_cgroup(const std::string& text);

// Where we are in one hierarchy: our own directory, and the mount point it was found under (the
// top we can see; above it is not ours to look at). Both "" when we cannot find it.
struct OwnCgroup {
  std::string dir;
  std::string mount_point;

  bool found() const { return !dir.empty(); }
};

struct OwnCgroups {
  OwnCgroup unified;
  OwnCgroup memory;  // v1
  OwnCgroup cpu;     // v1
};

// A hierarchy counts only where a mount of it shows our own cgroup; under a bind mount of a
// subtree (containers) the mount's root is cut from our path.
OwnCgroups find_own_cgroups(const std::string& mountinfo, const std::string& proc_cgroup);

}  // namespace kinda::runtime
