#include "kubelet/security_context.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "api/object.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;
using runtime::CapabilityMask;

const json& sc_object(const json& parent, const char* key) {
  static const json kEmpty = json::object();
  if (!parent.is_object()) return kEmpty;
  auto it = parent.find(key);
  return it != parent.end() && it->is_object() ? *it : kEmpty;
}

std::optional<int64_t> sc_integer(const json& sc, const char* key) {
  auto it = sc.find(key);
  if (it == sc.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<bool> sc_boolean(const json& sc, const char* key) {
  auto it = sc.find(key);
  if (it == sc.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

// The container's value when it sets one, else the pod's (DetermineEffectiveSecurityContext).
template <typename T, typename Get>
std::optional<T> effective_field(const json& container_sc, const json& pod_sc, const char* key,
                                 Get get) {
  if (auto own = get(container_sc, key)) return own;
  return get(pod_sc, key);
}

std::optional<uint32_t> numeric_user_id(const std::string& text) {
  if (text.empty() || text.size() > 10 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (value > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<uint32_t>(value);
}

// format.Pod: "name_namespace(uid)".
std::string pod_for_messages(const json& pod) {
  return api::string_at(pod, "metadata.name") + "_" +
         api::string_at(pod, "metadata.namespace", "default") + "(" +
         api::string_at(pod, "metadata.uid") + ")";
}

std::optional<std::string> run_as_non_root_refusal(const json& pod, const std::string& container,
                                                   const std::optional<int64_t>& run_as_user,
                                                   const std::optional<uint32_t>& image_uid,
                                                   const std::string& image_name) {
  const std::string where =
      "(pod: \"" + pod_for_messages(pod) + "\", container: " + container + ")";
  if (run_as_user) {
    if (*run_as_user == 0) return "container's runAsUser breaks non-root policy " + where;
    return std::nullopt;
  }
  if (image_uid && *image_uid == 0)
    return "container has runAsNonRoot and image will run as root " + where;
  if (!image_uid && !image_name.empty())
    return "container has runAsNonRoot and image has non-numeric user (" + image_name +
           "), cannot verify user is non-root " + where;
  return std::nullopt;
}

void add_group_once(std::vector<gid_t>& groups, gid_t g) {
  if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
}

std::string join_field_names(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

CapabilityMask apply_capability_changes(CapabilityMask base, const json& capabilities,
                                        std::vector<std::string>& unknown) {
  auto names = [&](const char* key) {
    std::vector<std::string> list;
    if (capabilities.is_object() && capabilities.contains(key) && capabilities[key].is_array())
      for (const auto& n : capabilities[key])
        if (n.is_string()) list.push_back(n.get<std::string>());
    return list;
  };
  auto add = names("add"), drop = names("drop");
  auto is_all = [](const std::string& n) { return n == "ALL" || n == "all"; };
  CapabilityMask mask = base;
  if (std::any_of(add.begin(), add.end(), is_all)) mask = runtime::all_capabilities();
  if (std::any_of(drop.begin(), drop.end(), is_all)) mask = 0;
  auto change = [&](const std::vector<std::string>& list, bool adding) {
    for (const auto& n : list) {
      if (is_all(n)) continue;
      auto number = runtime::capability_number(n);
      if (!number) {
        unknown.push_back(n);
        continue;
      }
      CapabilityMask bit = CapabilityMask{1} << *number;
      mask = adding ? (mask | bit) : (mask & ~bit);
    }
  };
  change(add, true);
  change(drop, false);
  return mask;
}

IdentityPowers identity_powers(runtime::Isolation isolation, uid_t euid, gid_t egid) {
  IdentityPowers p;
  p.own_uid = euid;
  p.own_gid = egid;
  const std::string own = "uid " + std::to_string(euid);
  if (euid == 0 && isolation != runtime::Isolation::UserNamespaces) {
    p.set_ids = p.limit_capabilities = p.grant_capabilities = true;
  } else if (isolation == runtime::Isolation::UserNamespaces) {
    p.limit_capabilities = true;
    p.why = "the cluster runs as " + own +
            " in isolation mode namespaces-userns, whose user namespace maps only that uid: "
            "containers run as " +
            own + " with no capabilities on the host";
  } else {
    p.why = "the cluster runs as " + own + " without privileges in isolation mode " +
            runtime::to_string(isolation) + ": containers run as " + own + " with no capabilities";
  }
  return p;
}

std::variant<ResolvedSecurity, SecurityRefusal> resolve_security_context(
    const json& pod, const json& container, const std::string& image_user,
    const UserDatabase& users, const IdentityPowers& powers) {
  const json& pod_sc = sc_object(sc_object(pod, "spec"), "securityContext");
  const json& sc = sc_object(container, "securityContext");
  const std::string name = container.value("name", "");

  auto run_as_user = effective_field<int64_t>(sc, pod_sc, "runAsUser", sc_integer);
  auto run_as_group = effective_field<int64_t>(sc, pod_sc, "runAsGroup", sc_integer);
  auto non_root = effective_field<bool>(sc, pod_sc, "runAsNonRoot", sc_boolean);

  // The image's USER: "" is root; "name", "uid", "name:group", "uid:gid".
  std::string image_name = image_user, image_group;
  if (auto colon = image_user.find(':'); colon != std::string::npos) {
    image_name = image_user.substr(0, colon);
    image_group = image_user.substr(colon + 1);
  }
  std::optional<uint32_t> image_uid = image_name.empty() ? 0u : numeric_user_id(image_name);

  if (non_root.value_or(false))
    if (auto refusal = run_as_non_root_refusal(pod, name, run_as_user, image_uid, image_name))
      return SecurityRefusal{"CreateContainerConfigError", *refusal};

  runtime::Credentials cred;
  std::string username;
  std::optional<gid_t> primary;
  if (run_as_user || image_uid) {
    cred.uid = static_cast<uid_t>(run_as_user ? *run_as_user : *image_uid);
    if (auto entry = users.user_by_id(cred.uid)) username = entry->name, primary = entry->gid;
  } else {
    auto entry = users.user_by_name(image_name);
    if (!entry)
      return SecurityRefusal{"CreateContainerError", "unable to find user " + image_name +
                                                         ": no matching entries in passwd file"};
    cred.uid = entry->uid;
    username = entry->name;
    primary = entry->gid;
  }
  if (run_as_group) {
    cred.gid = static_cast<gid_t>(*run_as_group);
  } else if (!run_as_user && !image_group.empty()) {
    if (auto number = numeric_user_id(image_group)) {
      cred.gid = *number;
    } else if (auto found = users.group_by_name(image_group)) {
      cred.gid = *found;
    } else {
      return SecurityRefusal{"CreateContainerError", "unable to find group " + image_group +
                                                         ": no matching entries in group file"};
    }
  } else {
    cred.gid = primary.value_or(0);
  }

  add_group_once(cred.groups, cred.gid);
  if (!username.empty())
    for (gid_t g : users.groups_listing(username)) add_group_once(cred.groups, g);
  auto fs_group = sc_integer(pod_sc, "fsGroup");
  if (fs_group) add_group_once(cred.groups, static_cast<gid_t>(*fs_group));
  bool supplemental = false;
  if (auto it = pod_sc.find("supplementalGroups"); it != pod_sc.end() && it->is_array())
    for (const auto& g : *it)
      if (g.is_number_integer()) add_group_once(cred.groups, g.get<gid_t>()), supplemental = true;

  bool privileged = sc_boolean(sc, "privileged").value_or(false);
  std::vector<std::string> unknown;
  CapabilityMask caps = privileged
                            ? runtime::all_capabilities()
                            : apply_capability_changes(runtime::default_container_capabilities(),
                                                       sc_object(sc, "capabilities"), unknown);
  cred.bounding = caps;
  // As the kubelet: only an explicit false sets no_new_privs.
  cred.no_new_privs = sc_boolean(sc, "allowPrivilegeEscalation") == std::optional<bool>(false);
  cred.set_ids = true;

  std::vector<std::string> not_enforced;
  if (!powers.set_ids) {
    cred.set_ids = false;
    if (run_as_user && static_cast<uid_t>(*run_as_user) != powers.own_uid)
      not_enforced.push_back("runAsUser");
    else if (!run_as_user && !image_user.empty() && cred.uid != powers.own_uid)
      not_enforced.push_back("the image's user " + image_user);
    if (run_as_group && static_cast<gid_t>(*run_as_group) != powers.own_gid)
      not_enforced.push_back("runAsGroup");
    if (supplemental) not_enforced.push_back("supplementalGroups");
    if (fs_group) not_enforced.push_back("fsGroup (in the process's groups)");
  }
  if (!powers.limit_capabilities) cred.bounding.reset();
  if (!powers.grant_capabilities) {
    if (privileged) not_enforced.push_back("privileged");
    const json& add = sc_object(sc, "capabilities").value("add", json::array());
    if (!privileged && add.is_array() && !add.empty()) not_enforced.push_back("capabilities.add");
  }
  if (!unknown.empty())
    not_enforced.push_back("capabilities " + join_field_names(unknown) +
                           " (unknown to this kernel)");

  ResolvedSecurity resolved{std::move(cred), ""};
  if (!not_enforced.empty())
    resolved.not_enforced = "securityContext of container " + name +
                            " not enforced: " + join_field_names(not_enforced) +
                            (powers.why.empty() ? std::string() : " (" + powers.why + ")");
  return resolved;
}

UserDatabase host_user_database() {
  auto entry_of = [](const passwd& p) { return PasswdEntry{p.pw_name, p.pw_uid, p.pw_gid}; };
  UserDatabase db;
  db.user_by_id = [entry_of](uid_t uid) -> std::optional<PasswdEntry> {
    passwd p{}, *found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwuid_r(uid, &p, buffer.data(), buffer.size(), &found) != 0 || !found)
      return std::nullopt;
    return entry_of(p);
  };
  db.user_by_name = [entry_of](const std::string& name) -> std::optional<PasswdEntry> {
    passwd p{}, *found = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwnam_r(name.c_str(), &p, buffer.data(), buffer.size(), &found) != 0 || !found)
      return std::nullopt;
    return entry_of(p);
  };
  db.group_by_name = [](const std::string& name) -> std::optional<gid_t> {
    group g{}, *found = nullptr;
    std::vector<char> buffer(65536);
    if (::getgrnam_r(name.c_str(), &g, buffer.data(), buffer.size(), &found) != 0 || !found)
      return std::nullopt;
    return g.gr_gid;
  };
  db.groups_listing = [](const std::string& user) {
    std::vector<gid_t> gids;
    // The pod's /etc/group is the host's; read it directly rather than through NSS enumeration,
    // which is not thread-safe.
    FILE* file = ::fopen("/etc/group", "re");
    if (!file) return gids;
    group g{}, *found = nullptr;
    std::vector<char> buffer(65536);
    while (::fgetgrent_r(file, &g, buffer.data(), buffer.size(), &found) == 0 && found) {
      if (user == g.gr_name) continue;
      for (char** member = g.gr_mem; member && *member; ++member)
        if (user == *member) {
          gids.push_back(g.gr_gid);
          break;
        }
    }
    ::fclose(file);
    return gids;
  };
  return db;
}

std::variant<ResolvedSecurity, SecurityRefusal> resolve_for_cluster(const json& pod,
                                                                    const json& container,
                                                                    const std::string& image_user,
                                                                    runtime::Isolation isolation) {
  static const UserDatabase users = host_user_database();
  return resolve_security_context(pod, container, image_user, users,
                                  identity_powers(isolation, ::geteuid(), ::getegid()));
}

}  // namespace kinda::kubelet
