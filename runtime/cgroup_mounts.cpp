#include "runtime/cgroup_mounts.hpp"

#include <algorithm>
#include <sstream>

#include "runtime/mountinfo_field.hpp"

namespace kinda::runtime {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream stream(text);
  for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
  return parts;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Our path as seen below a mount showing the hierarchy's directory `root`; "" when it is not
// below it (then that mount does not show our cgroup).
std::string dir_below(const CgroupMount& mount, const std::string& path) {
  std::string rest;
  if (mount.root == "/") {
    rest = path;
  } else if (path == mount.root) {
    rest = "/";
  } else if (path.size() > mount.root.size() &&
             path.compare(0, mount.root.size(), mount.root) == 0 &&
             path[mount.root.size()] == '/') {
    rest = path.substr(mount.root.size());
  } else {
    return "";
  }
  return rest == "/" ? mount.mount_point : mount.mount_point + rest;
}

OwnCgroup own_in(const std::vector<CgroupMount>& mounts, const CgroupMembership& membership,
                 bool unified) {
  for (const auto& mount : mounts) {
    if (mount.unified != unified) continue;
    if (!unified &&
        !std::all_of(membership.controllers.begin(), membership.controllers.end(),
                     [&](const std::string& c) { return contains(mount.options, c); })) {
      continue;
    }
    if (std::string dir = dir_below(mount, membership.path); !dir.empty()) {
      return {dir, mount.mount_point};
    }
  }
  return {};
}

}  // namespace

std::vector<CgroupMount> parse_cgroup_mounts(const std::string& mountinfo) {
  std::vector<CgroupMount> mounts;
  std::istringstream lines(mountinfo);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::vector<std::string> before_dash;
    std::string field;
    while (fields >> field && field != "-") before_dash.push_back(field);
    std::string fstype, source, super_options;
    if (!(fields >> fstype >> source >> super_options) || before_dash.size() < 6) continue;
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    CgroupMount mount;
    mount.root = unescape_mountinfo_field(before_dash[3]);
    mount.mount_point = unescape_mountinfo_field(before_dash[4]);
    mount.unified = fstype == "cgroup2";
    if (!mount.unified) {
      // Controllers sit among other options (rw, xattr, clone_children…); matching a membership's
      // controllers against this list is enough, as each controller is in one hierarchy only.
      mount.options = split(super_options, ',');
    }
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

std::vector<CgroupMembership> parse_proc_cgroup(const std::string& text) {
  std::vector<CgroupMembership> memberships;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    CgroupMembership membership;
    try {
      membership.hierarchy = std::stoi(line.substr(0, first));
    } catch (const std::exception&) {
      continue;
    }
    const std::string controllers = line.substr(first + 1, second - first - 1);
    if (!controllers.empty()) membership.controllers = split(controllers, ',');
    membership.path = line.substr(second + 1);
    memberships.push_back(std::move(membership));
  }
  return memberships;
}

OwnCgroups find_own_cgroups(const std::string& mountinfo, const std::string& proc_cgroup) {
  const auto mounts = parse_cgroup_mounts(mountinfo);
  OwnCgroups own;
  for (const auto& membership : parse_proc_cgroup(proc_cgroup)) {
    if (membership.hierarchy == 0 && membership.controllers.empty()) {
      own.unified = own_in(mounts, membership, true);
      continue;
    }
    if (contains(membership.controllers, "memory")) own.memory = own_in(mounts, membership, false);
    if (contains(membership.controllers, "cpu")) own.cpu = own_in(mounts, membership, false);
  }
  return own;
}

}  // namespace kinda::runtime
