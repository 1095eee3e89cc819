// The live children of a process, read from /proc: what a stopping shim must still end, since as
// child subreaper it inherits every orphan of its pod.
#pragma once

#include <sys/types.h>

#include <vector>

namespace kinda::shim {

std::vector<pid_t> children_of(pid_t parent);

}  // namespace kinda::shim
