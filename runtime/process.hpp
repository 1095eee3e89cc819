// Starts container processes: fork + exec of an argument vector (never a shell), optionally inside
// a sandbox holder's namespaces and in cgroups. Every failure before exec returns as an Error, so a
// caller never mistakes a program that could not start for one that ran and died.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "api/error.hpp"
#include "runtime/credentials.hpp"

namespace kinda::runtime {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] looked up on PATH from env (else the caller's PATH)
  std::vector<std::string> env;   // complete environment, "K=V"
  std::string working_dir;        // inside the pod ("" = "/" in a sandbox, else the caller's cwd)
  std::string log_path;           // stdout+stderr appended here; "" = inherit the caller's stdio
  pid_t join_namespaces_of = 0;   // sandbox holder pid; the caller has checked it is still ours
  // A container's pid whose mount namespace (its own, see own_mount_namespace) is joined instead
  // of the holder's: exec and probes in a container with a read-only root. 0 = the holder's.
  pid_t join_mount_namespace_of = 0;
  // After joining the holder's mount namespace, the process unshares one of its own (copied from
  // the pod's) and remounts these mount points read-only in it: readOnlyRootFilesystem, with the
  // volumes left out of the list staying writable (read_only_root.hpp computes it).
  bool own_mount_namespace = false;
  std::vector<std::string> read_only_mounts;
  bool new_session = true;  // setsid(), so the process and its children form one group
  // cgroup.procs files (ContainerCgroup::procs_files) the process enters before exec, so it and
  // everything it starts are limited from their first instruction.
  std::vector<std::string> join_cgroups;
  // A pod's net.sock (net_handoff.hpp): the process starts under the pod network filter and its
  // listener is handed to the pod's supervisor before it may exec. "" = the host's network.
  std::string network_supervisor;
  // The container's identity (credentials.hpp), taken after the network filter is handed over
  // and last before exec. nullopt = the caller's own.
  std::optional<Credentials> credentials;
};

// Descriptors a caller wires itself. They stay owned by the caller and may be closed after spawn.
struct ChildFds {
  int output = -1;  // stdout+stderr of the child; overrides spec.log_path
  int ready = -1;   // placed at fd 3 in the child, for readiness handshakes
  int input = -1;   // stdin of the child (pods/exec with stdin)
  int error = -1;   // stderr apart from output (pods/exec)
  // input is a terminal (a pty's other end) that the child, a new session, takes as its
  // controlling terminal (pods/exec with a TTY).
  bool controlling_terminal = false;
};

// stdin is ChildFds::input when given, else /dev/null whenever output is redirected (log_path or
// ChildFds::output); all other
// descriptors of the caller are closed in the child; signal dispositions and mask are reset.
// Joining a holder enters its user namespace first when it has its own (unprivileged sandboxes),
// then its mount and UTS namespaces.
Result<pid_t> spawn(const ProcessSpec& spec);
Result<pid_t> spawn(const ProcessSpec& spec, const ChildFds& fds);

// Runs with the caller's stdio and waits. SIGINT/SIGQUIT are ignored by the caller meanwhile, so a
// terminal's Ctrl-C reaches only the command. Returns the exit code, 128+signal when killed.
Result<int> run_foreground(const ProcessSpec& spec);

// This process's environment as "K=V" strings, for children that should inherit it.
std::vector<std::string> caller_environment();

// This program's own path (/proc/self/exe), to start it again as the daemon or a sandbox holder.
std::string self_exe();

// Kubernetes' exitCode convention for a waitpid status: the exit status, or 128+signal.
int exit_code_from_wait_status(int wait_status);

}  // namespace kinda::runtime
