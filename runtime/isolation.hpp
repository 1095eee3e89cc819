// Whether pods can get their own mount and UTS namespaces on this machine (root, in practice).
// Without them pods still run, as plain processes, and `kinda status` reports the mode.
#pragma once

namespace kinda::runtime {

enum class Isolation { Namespaces, None };

// Probes unshare(CLONE_NEWNS | CLONE_NEWUTS) in a forked child, so the caller is left untouched.
Isolation detect_isolation();

const char* to_string(Isolation isolation);  // "namespaces" / "none"

}  // namespace kinda::runtime
