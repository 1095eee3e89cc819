// The identity a container's processes run with: uid, gid, supplementary groups, the capability
// bounding set and no_new_privs. Resolved from a pod's securityContext by the kubelet
// (kubelet/security_context.hpp), carried to the shim in its start request, and applied in the
// child between the pod network filter and exec (process.cpp), for the container and for
// everything later started in it (exec, exec probes, lifecycle hooks).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "runtime/capabilities.hpp"

namespace kinda::runtime {

struct Credentials {
  // setgroups/setgid/setuid only when set_ids: without privilege (a non-root cluster) the
  // process keeps the caller's ids and the kubelet has said so in an event.
  bool set_ids = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, in order
  // Capabilities outside it are dropped from the bounding set, and the inheritable and ambient
  // sets are cleared, so a uid 0 process execs with exactly these and any other uid with none.
  // nullopt = leave the capabilities as they are (no privilege to change them).
  std::optional<CapabilityMask> bounding;
  bool no_new_privs = false;

  friend bool operator==(const Credentials&, const Credentials&) = default;
};

// {"setIds","uid","gid","groups","bounding"?,"noNewPrivs"}, for the shim's start request.
nlohmann::json to_json(const Credentials& credentials);
Result<Credentials> credentials_from_json(const nlohmann::json& j);

// A running process's identity from /proc/<pid>/status (Uid, Gid, Groups, CapBnd, NoNewPrivs),
// so `kinda exec` runs its command as the container's main process runs.
Result<Credentials> credentials_of_process(pid_t pid);

// Where applying failed in the child, with errno.
enum class CredentialStep : int {
  None,
  Groups,
  Gid,
  Bounding,
  Inheritable,
  Ambient,
  Uid,
  NoNewPrivs
};
const char* to_string(CredentialStep step);

// In a forked child before exec: async-signal-safe, no allocation. Order: supplementary groups,
// gid, bounding set and inheritable/ambient sets (which need CAP_SETPCAP, so before the uid
// changes), uid, no_new_privs. Returns CredentialStep::None, or the failed step with errno set.
CredentialStep apply_credentials(const Credentials& credentials);

}  // namespace kinda::runtime
