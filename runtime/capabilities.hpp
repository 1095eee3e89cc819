// Linux capabilities by name and as masks: the names a pod spec uses (with or without "CAP_"),
// containerd's default set for containers, and every capability this kernel knows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kinda::runtime {

using CapabilityMask = uint64_t;  // bit n = capability n (CAP_CHOWN = 0)

// "NET_ADMIN", "CAP_NET_ADMIN" and "net_admin" all name CAP_NET_ADMIN (12). nullopt for a name
// the kernel headers do not know.
std::optional<int> capability_number(const std::string& name);

// "CAP_NET_ADMIN" for 12; "CAP_<n>" for a number without a name.
std::string capability_name(int number);

// The capabilities containerd gives a container that is not privileged (its defaultUnixCaps):
// CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP,
// NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE.
CapabilityMask default_container_capabilities();

// Every capability of the running kernel (/proc/sys/kernel/cap_last_cap), what a privileged
// container gets.
CapabilityMask all_capabilities();
int last_capability();

// The names in a mask, in number order, for messages and tests.
std::vector<std::string> capability_names(CapabilityMask mask);

}  // namespace kinda::runtime
