// Turns the calling process's root into the pod's view of the machine: the host's tree as it is,
// with each volume bound at its target and the resolver files over /etc, while nothing is created
// or mounted on the host. Targets that do not exist on the host get synthetic parent directories.
#pragma once

#include "api/error.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::runtime {

// Precondition: the caller is alone in a new mount namespace whose mounts are all private, so every
// mount made here stays inside it. Leaves the caller at / of the pod's root.
Status enter_pod_root(const SandboxSpec& spec);

}  // namespace kinda::runtime
