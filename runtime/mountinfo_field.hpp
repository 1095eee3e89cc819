// /proc/self/mountinfo writes space, tab, newline and backslash in its path fields as \ooo; both
// readers of mountinfo (cgroup_mounts, read_only_root) decode them with this.
#pragma once

#include <string>

namespace kinda::runtime {

std::string unescape_mountinfo_field(const std::string& field);

}  // namespace kinda::runtime
