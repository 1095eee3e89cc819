// A pod's shim, like containerd's per-container shim: the parent and child subreaper of every
// process of one pod. It holds the pod identity's lock (so one identity never runs twice), starts
// the sandbox holder and the containers the daemon asks for, pumps their output into rotated log
// files, and keeps their exit codes. It outlives a daemon crash: the restarted daemon reconnects
// to <pod dir>/shim.sock and re-adopts the same pids. A shim whose daemon stays gone for longer
// than its grace stops its pod gracefully and exits.
#pragma once

#include <string>

namespace kinda::shim {

// Body of the hidden subcommand `kinda shim <pod dir>/shim.json`. The starter passes one end of
// a socketpair as fd 3; the shim speaks its protocol there first (see shim_protocol.hpp).
int shim_main(const std::string& spec_path);

}  // namespace kinda::shim
