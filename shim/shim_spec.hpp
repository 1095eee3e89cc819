// What a pod's shim (`kinda shim <spec.json>`) needs to know, written by the daemon into the pod's
// directory before it starts the shim. The shim outlives the daemon, so everything it must do on
// its own (find the daemon, rotate logs, stop the pod when the daemon is gone for good) is here.
#pragma once

#include <cstdint>
#include <string>

#include "api/error.hpp"

namespace kinda::shim {

struct ShimSpec {
  std::string key;                  // "<ns>/<pod>", the identity the shim's lock guards
  std::string uid;                  // the Pod object's uid this shim runs
  std::string pod_dir;              // <root>/pods/<ns>/<pod>; holds shim.sock, shim.lock
  std::string cluster_root;         // a shim whose cluster directory is gone stops at once
  std::string daemon_pid_file;      // <root>/run/daemon.pid
  std::string sandbox_spec;         // sandbox.json to start a holder from; "" = no namespaces
  std::string self_exe;             // this binary, to start the sandbox holder
  int64_t orphan_grace_ms = 60000;  // how long to wait for a dead daemon to return
  int64_t stop_grace_ms = 30000;    // SIGTERM→SIGKILL grace when stopping on its own
  int64_t log_max_bytes = 10 * 1024 * 1024;  // the kubelet's containerLogMaxSize default
  int log_max_files = 5;                     // the kubelet's containerLogMaxFiles default
  std::string cgroup_parent;  // the pod's cgroup group, removed when the shim ends ("" = none)
  // The pod's address; its processes' sockets are supervised to own it (runtime/net_supervisor).
  // "" = the host's network (a shim of an older daemon).
  std::string pod_ip;

  std::string socket_path() const { return pod_dir + "/shim.sock"; }
  std::string lock_path() const { return pod_dir + "/shim.lock"; }
  std::string spec_path() const { return pod_dir + "/shim.json"; }
  std::string network_socket_path() const { return pod_dir + "/net.sock"; }
};

// Written through a temporary file and rename, so a shim never reads half a spec.
Status write_shim_spec(const ShimSpec& spec);
Result<ShimSpec> read_shim_spec(const std::string& path);

}  // namespace kinda::shim
