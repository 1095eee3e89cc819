#include "runtime/credentials.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace kinda::runtime {

nlohmann::json to_json(const Credentials& c) {
  nlohmann::json j = {{"setIds", c.set_ids},
                      {"uid", c.uid},
                      {"gid", c.gid},
                      {"groups", c.groups},
                      {"noNewPrivs", c.no_new_privs}};
  if (c.bounding) j["bounding"] = *c.bounding;
  return j;
}

Result<Credentials> credentials_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error::bad_request("credentials must be an object");
  try {
    Credentials c;
    c.set_ids = j.value("setIds", false);
    c.uid = j.value("uid", uid_t{0});
    c.gid = j.value("gid", gid_t{0});
    c.groups = j.value("groups", std::vector<gid_t>{});
    if (j.contains("bounding")) c.bounding = j["bounding"].get<CapabilityMask>();
    c.no_new_privs = j.value("noNewPrivs", false);
    return c;
  } catch (const nlohmann::json::exception& e) {
    return Error::bad_request(std::string("credentials: ") + e.what());
  }
}

Result<Credentials> credentials_of_process(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return Error::internal("process " + std::to_string(pid) + " is gone");
  Credentials c;
  c.set_ids = true;
  bool seen_uid = false, seen_gid = false;
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    std::istringstream value(line.substr(colon + 1));
    if (key == "Uid") {
      seen_uid = static_cast<bool>(value >> c.uid);
    } else if (key == "Gid") {
      seen_gid = static_cast<bool>(value >> c.gid);
    } else if (key == "Groups") {
      for (gid_t g; value >> g;) c.groups.push_back(g);
    } else if (key == "CapBnd") {
      CapabilityMask mask = 0;
      if (value >> std::hex >> mask) c.bounding = mask;
    } else if (key == "NoNewPrivs") {
      int flag = 0;
      value >> flag;
      c.no_new_privs = flag != 0;
    }
  }
  if (!seen_uid || !seen_gid)
    return Error::internal("cannot read the identity of process " + std::to_string(pid));
  return c;
}

const char* to_string(CredentialStep step) {
  switch (step) {
    case CredentialStep::None:
      return "none";
    case CredentialStep::Groups:
      return "setgroups";
    case CredentialStep::Gid:
      return "setgid";
    case CredentialStep::Bounding:
      return "drop capabilities from the bounding set";
    case CredentialStep::Inheritable:
      return "clear the inheritable capabilities";
    case CredentialStep::Ambient:
      return "clear the ambient capabilities";
    case CredentialStep::Uid:
      return "setuid";
    case CredentialStep::NoNewPrivs:
      return "set no_new_privs";
  }
  return "?";
}

CredentialStep apply_credentials(const Credentials& c) {
  if (c.set_ids) {
    if (::setgroups(c.groups.size(), c.groups.data()) != 0) return CredentialStep::Groups;
    if (::setresgid(c.gid, c.gid, c.gid) != 0) return CredentialStep::Gid;
  }
  if (c.bounding) {
    int last = last_capability();  // read before fork by whoever built the Credentials
    for (int cap = 0; cap <= last; ++cap)
      if (!(*c.bounding & (CapabilityMask{1} << cap)) &&
          ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
        return CredentialStep::Bounding;
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
    if (::syscall(SYS_capget, &header, data) != 0) return CredentialStep::Inheritable;
    for (auto& d : data) d.inheritable = 0;
    if (::syscall(SYS_capset, &header, data) != 0) return CredentialStep::Inheritable;
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
      return CredentialStep::Ambient;
  }
  // Changing every uid away from 0 clears the permitted and effective sets, as exec would.
  if (c.set_ids && ::setresuid(c.uid, c.uid, c.uid) != 0) return CredentialStep::Uid;
  if (c.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return CredentialStep::NoNewPrivs;
  return CredentialStep::None;
}

}  // namespace kinda::runtime
