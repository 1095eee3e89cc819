// Finds the processes a previous daemon of this cluster left running (after kill -9): container
// processes carry KINDA_CLUSTER_ROOT, KINDA_POD (<ns>/<pod>),
// KINDA_POD_UID and KINDA_CONTAINER in their environment and
// lead their own session; sandbox holders run `kinda sandbox <root>/pods/<ns>/<pod>/sandbox.json`
// and shims `kinda shim <root>/pods/<ns>/<pod>/shim.json`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace kinda::daemon {

struct FoundPod {
  pid_t sandbox_pid = 0;
  std::vector<pid_t> shim_pids;
  std::string uid;                          // from the containers' markers
  std::map<std::string, pid_t> containers;  // container name → session leader pid
};

// Keyed by "<ns>/<pod>".
std::map<std::string, FoundPod> scan_cluster_processes(const std::string& cluster_root);

}  // namespace kinda::daemon
