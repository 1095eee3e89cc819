#include "api/security_context_validation.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr long long kMaxSecurityId = 2147483647;

// IsValidUserID / IsValidGroupID.
void check_security_id(Causes& c, const json& value, const std::string& path) {
  if (value.is_null()) return;
  if (!value.is_number_integer()) return c.invalid(path, value, "must be an integer");
  if (value.is_number_unsigned()
          ? value.get<unsigned long long>() > kMaxSecurityId
          : value.get<long long>() < 0 || value.get<long long>() > kMaxSecurityId)
    c.invalid(path, value,
              "must be between 0 and " + std::to_string(kMaxSecurityId) + ", inclusive");
}

void check_security_flag(Causes& c, const json& sc, const char* key, const std::string& path) {
  const json& value = field(sc, key);
  if (!value.is_null() && !value.is_boolean())
    c.invalid(path + "." + key, value, "must be a boolean");
}

void check_capability_list(Causes& c, const json& list, const std::string& path) {
  if (list.is_null()) return;
  if (!list.is_array()) return c.add(path, "must be a list of strings");
  for (size_t i = 0; i < list.size(); ++i)
    if (!list[i].is_string()) c.invalid(index_path(path, i), list[i], "must be a string");
}

}  // namespace

void check_pod_security_context(Causes& c, const json& sc, const std::string& path) {
  if (sc.is_null()) return;
  if (!sc.is_object()) return c.add(path, "must be an object");
  check_security_id(c, field(sc, "runAsUser"), path + ".runAsUser");
  check_security_id(c, field(sc, "runAsGroup"), path + ".runAsGroup");
  check_security_id(c, field(sc, "fsGroup"), path + ".fsGroup");
  check_security_flag(c, sc, "runAsNonRoot", path);
  const json& groups = field(sc, "supplementalGroups");
  if (!groups.is_null() && !groups.is_array()) {
    c.add(path + ".supplementalGroups", "must be a list of integers");
  } else if (groups.is_array()) {
    for (size_t i = 0; i < groups.size(); ++i)
      check_security_id(c, groups[i], index_path(path + ".supplementalGroups", i));
  }
  const json& policy = field(sc, "fsGroupChangePolicy");
  if (!policy.is_null() && policy != "OnRootMismatch" && policy != "Always")
    c.unsupported(path + ".fsGroupChangePolicy", policy, "\"Always\", \"OnRootMismatch\"");
}

void check_container_security_context(Causes& c, const json& sc, const std::string& path) {
  if (sc.is_null()) return;
  if (!sc.is_object()) return c.add(path, "must be an object");
  check_security_id(c, field(sc, "runAsUser"), path + ".runAsUser");
  check_security_id(c, field(sc, "runAsGroup"), path + ".runAsGroup");
  for (const char* key :
       {"runAsNonRoot", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem"})
    check_security_flag(c, sc, key, path);
  const json& caps = field(sc, "capabilities");
  if (!caps.is_null() && !caps.is_object()) {
    c.add(path + ".capabilities", "must be an object");
  } else if (caps.is_object()) {
    check_capability_list(c, field(caps, "add"), path + ".capabilities.add");
    check_capability_list(c, field(caps, "drop"), path + ".capabilities.drop");
  }
  const json& proc_mount = field(sc, "procMount");
  if (!proc_mount.is_null() && proc_mount != "Default" && proc_mount != "Unmasked")
    c.unsupported(path + ".procMount", proc_mount, "\"Default\", \"Unmasked\"");
  // The API server's own rule: escalation is what privileged and CAP_SYS_ADMIN are.
  if (field(sc, "allowPrivilegeEscalation") == json(false)) {
    if (field(sc, "privileged") == json(true))
      c.invalid(path, sc,
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
    const json& add = field(caps, "add");
    if (add.is_array())
      for (const auto& cap : add)
        if (cap == "CAP_SYS_ADMIN")
          c.invalid(path, sc,
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` "
                    "CAP_SYS_ADMIN");
  }
}

}  // namespace kinda::api
