// Whether pods can get their own mount and UTS namespaces on this machine: directly (root), inside
// an unprivileged user namespace, or not at all. Without them pods still run, as plain processes,
// and `kinda status` reports the mode and why.
#pragma once

#include <string>

namespace kinda::runtime {

enum class Isolation {
  Namespaces,      // the sandbox holder unshares mount and UTS namespaces itself
  None,            // pods share the host's namespaces
  UserNamespaces,  // the holder first makes a user namespace (see user_namespace.hpp)
};

struct IsolationSupport {
  Isolation mode = Isolation::None;
  std::string reason;  // why not plain Namespaces; "" when it is
};

// Probes, each in a forked child so the caller is left untouched: unshare(CLONE_NEWNS |
// CLONE_NEWUTS); failing that, a user namespace with our ids mapped in which mount and UTS
// namespaces are made, / made private and the hostname set (sysctls and AppArmor may forbid any
// of these, and the reason says which).
IsolationSupport probe_isolation();

// The first probe only: Namespaces or None, never UserNamespaces, for callers that start holders
// only where they need no user namespace.
Isolation detect_isolation();

// Whether pods get a sandbox holder whose namespaces containers join.
bool has_pod_namespaces(Isolation isolation);

const char* to_string(Isolation isolation);  // "namespaces" / "none" / "namespaces-userns"

// For `kinda status`: to_string(mode), with the reason after "none".
std::string to_string(const IsolationSupport& support);

}  // namespace kinda::runtime
