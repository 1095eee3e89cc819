// The conversation between the daemon and a pod's shim: one JSON object per line.
//
// Daemon → shim, each with an "id" echoed in the reply ({"id", "ok", "error"?, ...}):
//   {"op":"start","name":C,"argv":[..],"env":["K=V"..],"workingDir":D,"log":PATH,
//    "joinCgroups":[PATH..],"credentials":{..},"readOnlyRootFilesystem":B,"writablePaths":[P..]}
//                                                   → {"pid":N,"startedAt":T}
//     (credentials: runtime::to_json(Credentials), the identity the container takes)
//   {"op":"signal","name":C,"signal":S}             signals the container's process group
//   {"op":"state"}                                  → {"pid","sandboxPid","containers":{C:{..}}}
//   {"op":"stop","graceMs":G}                       SIGTERM, SIGKILL after G, then the shim exits
// Shim → daemon, unsolicited:
//   {"event":"ready","pid":N,"sandboxPid":N} | {"event":"failed","reason":R,"message":M}
//     (first line on the starter's socketpair only)
//   {"event":"exit","name":C,"pid":N,"exitCode":E,"reason":R,"finishedAt":T}
//   {"event":"sandboxExit"}
#pragma once

namespace kinda::shim {

// The shim's exit status when another live shim already holds the pod identity's lock.
constexpr int kExitIdentityTaken = 3;

}  // namespace kinda::shim
