// A pod's sandbox holder, like Kubernetes' pause container: a process that owns the pod's mount and
// UTS namespaces (and, unprivileged, the user namespace they live in) for the pod's lifetime.
// Containers join them with ProcessSpec::join_namespaces_of. The holder outlives a daemon crash
// (own session, reparented), so a restarted daemon re-adopts it.
#pragma once

#include <sys/types.h>

#include <string>

#include "api/error.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::runtime {

// Body of the hidden subcommand `kinda sandbox <spec.json>`: unshares mount and UTS namespaces
// (when that is not permitted, inside a new user namespace mapping our uid and gid to themselves,
// see user_namespace.hpp), makes / rprivate, sets the hostname, enters the pod's root (see
// pod_root.hpp), writes "ok\n" to fd 3 (or "error: <message>\n" and returns non-zero), then waits
// for SIGTERM/SIGINT and returns 0.
int sandbox_main(const std::string& spec_path);

// Writes the spec to <spec.dir>/sandbox.json and starts `<self_exe> sandbox <that file>` in its
// own session, its output appended to <spec.dir>/sandbox.log; waits (up to 10 s) for its
// readiness line and returns its pid. A holder that fails is reaped and its message returned.
// The holder is our child: watch it with an ExitWatcher so it is reaped when it ends.
Result<pid_t> start_sandbox(const SandboxSpec& spec, const std::string& self_exe);

}  // namespace kinda::runtime
