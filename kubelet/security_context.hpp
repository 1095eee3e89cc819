// A container's identity from its pod's securityContext, resolved as the kubelet and containerd
// do: container fields over pod fields; runAsUser without runAsGroup takes that uid's primary
// group from the passwd database (else 0); the image's USER when runAsUser is unset (a name or
// uid[:group], "" = root); supplementary groups from /etc/group membership, then fsGroup, then
// supplementalGroups; containerd's default capabilities (all of them when privileged) changed by
// capabilities.add/drop ("ALL" first); no_new_privs when allowPrivilegeEscalation is false.
// runAsNonRoot refuses a root start with the kubelet's messages. What the cluster's mode cannot
// change is named for a Warning event (reason kSecurityContextNotEnforced) and left as it is.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/credentials.hpp"
#include "runtime/isolation.hpp"

namespace kinda::kubelet {

inline constexpr const char* kSecurityContextNotEnforced = "SecurityContextNotEnforced";

struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// The pod's user database. Pods see the host's /etc, so the host's passwd and group files are
// theirs; tests pass their own.
struct UserDatabase {
  std::function<std::optional<PasswdEntry>(uid_t)> user_by_id;
  std::function<std::optional<PasswdEntry>(const std::string&)> user_by_name;
  std::function<std::optional<gid_t>(const std::string&)> group_by_name;
  // Groups whose member list names the user (not the group of the user's own name).
  std::function<std::vector<gid_t>(const std::string&)> groups_listing;
};
UserDatabase host_user_database();  // getpwuid_r, getpwnam_r, getgrnam_r, getgrent_r

// What kinda may change in the mode it runs in.
struct IdentityPowers {
  bool set_ids = false;             // setuid/setgid/setgroups to any id (host root)
  bool limit_capabilities = false;  // drop from the bounding set (root, or inside a userns)
  bool grant_capabilities = false;  // give host capabilities at all (host root)
  uid_t own_uid = 0;
  gid_t own_gid = 0;
  std::string why;  // for the event when not everything can be done
};
IdentityPowers identity_powers(runtime::Isolation isolation, uid_t euid, gid_t egid);

// A container the kubelet does not start: reason CreateContainerConfigError (runAsNonRoot) or
// CreateContainerError (an image user missing from the passwd database).
struct SecurityRefusal {
  std::string reason;
  std::string message;
};

struct ResolvedSecurity {
  runtime::Credentials credentials;
  std::string not_enforced;  // the Warning event's message; "" when everything is enforced
};

std::variant<ResolvedSecurity, SecurityRefusal> resolve_security_context(
    const nlohmann::json& pod, const nlohmann::json& container, const std::string& image_user,
    const UserDatabase& users, const IdentityPowers& powers);

// resolve_security_context with the host's user database and the powers of this process in
// `isolation`.
std::variant<ResolvedSecurity, SecurityRefusal> resolve_for_cluster(const nlohmann::json& pod,
                                                                    const nlohmann::json& container,
                                                                    const std::string& image_user,
                                                                    runtime::Isolation isolation);

// The capability mask of a container's capabilities block on top of `base`, as containerd applies
// it: add ALL, then drop ALL, then each add, then each drop. Unknown names land in `unknown`.
runtime::CapabilityMask apply_capability_changes(runtime::CapabilityMask base,
                                                 const nlohmann::json& capabilities,
                                                 std::vector<std::string>& unknown);

}  // namespace kinda::kubelet
