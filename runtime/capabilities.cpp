#include "runtime/capabilities.hpp"

#include <linux/capability.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>

namespace kinda::runtime {
namespace {

struct NamedCapability {
  const char* name;  // without "CAP_"
  int number;
};

constexpr std::array<NamedCapability, 41> kCapabilities{{
    {"CHOWN", CAP_CHOWN},
    {"DAC_OVERRIDE", CAP_DAC_OVERRIDE},
    {"DAC_READ_SEARCH", CAP_DAC_READ_SEARCH},
    {"FOWNER", CAP_FOWNER},
    {"FSETID", CAP_FSETID},
    {"KILL", CAP_KILL},
    {"SETGID", CAP_SETGID},
    {"SETUID", CAP_SETUID},
    {"SETPCAP", CAP_SETPCAP},
    {"LINUX_IMMUTABLE", CAP_LINUX_IMMUTABLE},
    {"NET_BIND_SERVICE", CAP_NET_BIND_SERVICE},
    {"NET_BROADCAST", CAP_NET_BROADCAST},
    {"NET_ADMIN", CAP_NET_ADMIN},
    {"NET_RAW", CAP_NET_RAW},
    {"IPC_LOCK", CAP_IPC_LOCK},
    {"IPC_OWNER", CAP_IPC_OWNER},
    {"SYS_MODULE", CAP_SYS_MODULE},
    {"SYS_RAWIO", CAP_SYS_RAWIO},
    {"SYS_CHROOT", CAP_SYS_CHROOT},
    {"SYS_PTRACE", CAP_SYS_PTRACE},
    {"SYS_PACCT", CAP_SYS_PACCT},
    {"SYS_ADMIN", CAP_SYS_ADMIN},
    {"SYS_BOOT", CAP_SYS_BOOT},
    {"SYS_NICE", CAP_SYS_NICE},
    {"SYS_RESOURCE", CAP_SYS_RESOURCE},
    {"SYS_TIME", CAP_SYS_TIME},
    {"SYS_TTY_CONFIG", CAP_SYS_TTY_CONFIG},
    {"MKNOD", CAP_MKNOD},
    {"LEASE", CAP_LEASE},
    {"AUDIT_WRITE", CAP_AUDIT_WRITE},
    {"AUDIT_CONTROL", CAP_AUDIT_CONTROL},
    {"SETFCAP", CAP_SETFCAP},
    {"MAC_OVERRIDE", CAP_MAC_OVERRIDE},
    {"MAC_ADMIN", CAP_MAC_ADMIN},
    {"SYSLOG", CAP_SYSLOG},
    {"WAKE_ALARM", CAP_WAKE_ALARM},
    {"BLOCK_SUSPEND", CAP_BLOCK_SUSPEND},
    {"AUDIT_READ", CAP_AUDIT_READ},
    {"PERFMON", 38},
    {"BPF", 39},
    {"CHECKPOINT_RESTORE", 40},
}};

CapabilityMask capability_bit(int number) {
  return CapabilityMask{1} << number;
}

}  // namespace

std::optional<int> capability_number(const std::string& name) {
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (upper.rfind("CAP_", 0) == 0) upper.erase(0, 4);
  for (const auto& c : kCapabilities)
    if (upper == c.name) return c.number;
  return std::nullopt;
}

std::string capability_name(int number) {
  for (const auto& c : kCapabilities)
    if (c.number == number) return std::string("CAP_") + c.name;
  return "CAP_" + std::to_string(number);
}

CapabilityMask default_container_capabilities() {
  CapabilityMask mask = 0;
  for (int number : {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
                     CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
                     CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE})
    mask |= capability_bit(number);
  return mask;
}

int last_capability() {
  static const int last = [] {
    std::ifstream in("/proc/sys/kernel/cap_last_cap");
    int n = -1;
    if (in >> n && n >= 0 && n < 64) return n;
    return CAP_LAST_CAP;
  }();
  return last;
}

CapabilityMask all_capabilities() {
  int last = last_capability();
  return last >= 63 ? ~CapabilityMask{0} : capability_bit(last + 1) - 1;
}

std::vector<std::string> capability_names(CapabilityMask mask) {
  std::vector<std::string> names;
  for (int n = 0; n < 64; ++n)
    if (mask & capability_bit(n)) names.push_back(capability_name(n));
  return names;
}

}  // namespace kinda::runtime
