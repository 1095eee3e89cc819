// Finds the processes of this cluster's pods, e.g. those a previous daemon left running (after
// kill -9) or a killed shim left behind: container processes carry KINDA_CLUSTER_ROOT, KINDA_POD
// (<ns>/<pod>), KINDA_POD_UID and KINDA_CONTAINER in their environment and lead their own session;
// sandbox holders run `kinda sandbox <root>/pods/<ns>/<pod>/sandbox.json` and shims
// `kinda shim <root>/pods/<ns>/<pod>/shim.json`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace kinda::kubelet {

struct FoundPod {
  pid_t sandbox_pid = 0;
  std::vector<pid_t> shim_pids;
  std::string uid;  // from the containers' markers
  // Every session leader carrying the pod's markers: its containers, and any exec probe or hook
  // the daemon was running with a container's environment. All of them, not one per container
  // name: a probe running beside its container carries the same KINDA_CONTAINER, and keeping only
  // one of the two let a killed shim's container survive beside the pod started anew.
  std::vector<pid_t> session_leaders;
  // Those of them whose parent is none of the cluster's shims and sandbox holders: probes, hooks
  // and kubectl exec commands of a daemon that died (they were its children), or containers of a
  // killed shim. Nobody waits for their output any more.
  std::vector<pid_t> orphans;
  // Every process carrying the pod's markers, leader or not: what a daemonizing command left
  // (a double fork puts it in a session whose leader is already gone).
  std::vector<pid_t> marked;
};

// Keyed by "<ns>/<pod>".
std::map<std::string, FoundPod> scan_cluster_processes(const std::string& cluster_root);

}  // namespace kinda::kubelet
