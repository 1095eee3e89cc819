// How a pod's seccomp listeners reach its supervisor. Whoever starts a process in a pod (the shim
// for containers, the daemon for exec sessions, probes and hooks, the CLI for `kinda exec`) takes
// the new process's listener and sends it, as SCM_RIGHTS, to the pod's datagram socket
// (pods/<ns>/<pod>/net.sock, mode 0600), where the pod's shim supervises it with the others.
#pragma once

#include <string>
#include <vector>

#include "api/error.hpp"
#include "runtime/syscall.hpp"

namespace kinda::runtime {

// The descriptor is in flight once this returns: the caller may close its copy.
Status hand_over_listener(const std::string& socket_path, int listener);

// The datagram socket a supervisor receives listeners on; replaces a stale file at the path.
Result<UniqueFd> listen_for_listeners(const std::string& socket_path);
// Every descriptor of one datagram (close-on-exec); empty when nothing was queued.
std::vector<UniqueFd> receive_listeners(int socket);

}  // namespace kinda::runtime
