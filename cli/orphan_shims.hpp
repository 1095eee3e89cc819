// Pods whose daemon is gone (killed, crashed) keep running under their shims until the daemon
// returns. `kinda down` on a cluster with no daemon ends them: each shim is asked over its socket
// to stop its pod gracefully (SIGTERM, grace, SIGKILL), and down waits until every shim has exited.
#pragma once

#include <chrono>

#include "storage/cluster_home.hpp"

namespace kinda::cli {

// Returns how many shims were stopped; those that do not answer are left to their own orphan
// timer and reported on stderr.
int stop_orphaned_shims(const storage::ClusterPaths& paths, std::chrono::milliseconds timeout);

}  // namespace kinda::cli
