#include "runtime/cgroup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "runtime/cgroup_mounts.hpp"
#include "runtime/cgroup_values.hpp"
#include "runtime/syscall.hpp"

namespace kinda::runtime {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kControllers = {"memory", "cpu"};

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> result;
  for (std::string word; stream >> word;) result.push_back(word);
  return result;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

bool offers_controllers(const std::string& list_file) {
  const auto offered = words(read_text(list_file).value_or(""));
  return std::all_of(kControllers.begin(), kControllers.end(), [&](const std::string& c) {
    return std::find(offered.begin(), offered.end(), c) != offered.end();
  });
}

// cgroup files take one value per write(2); the kernel rejects a bad value at that write.
Status write_value(const std::string& path, const std::string& value) {
  auto fd = open_fd(path, O_WRONLY);
  if (!fd) return fd.error();
  if (::write(fd->get(), value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
    return errno_error("write \"" + value + "\" to " + path, errno);
  }
  return Ok{};
}

bool exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

std::string parent_dir(const std::string& dir) {
  return dir.substr(0, dir.rfind('/'));
}

Status probe_create(const std::string& base) {
  const std::string probe = base + "/kinda-probe-" + std::to_string(::getpid());
  if (::mkdir(probe.c_str(), 0755) != 0) return errno_error("create a cgroup in " + base, errno);
  ::rmdir(probe.c_str());
  return Ok{};
}

Result<std::string> v2_base(const OwnCgroup& own) {
  if (!own.found()) return Error::internal("no cgroup2 mount shows this process's cgroup");
  const std::string base = own.dir == own.mount_point ? own.dir : parent_dir(own.dir);
  const std::string offered = base + "/cgroup.controllers";
  if (!offers_controllers(offered)) {
    return Error::internal(offered + " offers \"" +
                           joined(words(read_text(offered).value_or("")), " ") +
                           "\", not memory and cpu");
  }
  // Only the root cgroup (which has no cgroup.type) may hand controllers down while it holds
  // processes itself.
  if (!offers_controllers(base + "/cgroup.subtree_control") && exists(base + "/cgroup.type") &&
      !words(read_text(base + "/cgroup.procs").value_or("")).empty()) {
    return Error::internal("cannot enable memory and cpu below " + base +
                           ": it holds processes of its own");
  }
  if (auto probed = probe_create(base); !probed) return probed.error();
  return base;
}

Status v1_bases(const OwnCgroups& own) {
  if (!own.memory.found()) {
    return Error::internal("no memory hierarchy shows this process's cgroup");
  }
  if (!own.cpu.found()) return Error::internal("no cpu hierarchy shows this process's cgroup");
  if (auto probed = probe_create(own.memory.dir); !probed) return probed;
  return probe_create(own.cpu.dir);
}

Result<std::vector<std::string>> group_components(const std::string& relative_group) {
  const Error invalid = Error::bad_request("invalid cgroup name \"" + relative_group +
                                           "\": want relative names separated by single slashes");
  if (relative_group.empty() || relative_group.back() == '/') return invalid;
  std::vector<std::string> parts;
  std::istringstream stream(relative_group);
  for (std::string part; std::getline(stream, part, '/');) {
    if (part.empty() || part == "." || part == "..") return invalid;
    parts.push_back(part);
  }
  return parts;
}

// The distinct bases: one directory under v2, two under v1.
std::vector<std::string> bases(const CgroupSupport& support) {
  if (support.mode == CgroupSupport::None) return {};
  if (support.memory_base == support.cpu_base) return {support.memory_base};
  return {support.memory_base, support.cpu_base};
}

Error unavailable(const CgroupSupport& support) {
  return Error::internal("cgroups are unavailable: " + support.reason);
}

// Creates base/<parts…>; under v2 each parent hands memory and cpu down to its children.
// Returns the leaf and whether it was created now (rather than reused).
Result<std::pair<std::string, bool>> make_groups(const std::string& base,
                                                 const std::vector<std::string>& parts,
                                                 bool delegate) {
  const std::string enable = "+memory +cpu";
  if (delegate && !offers_controllers(base + "/cgroup.subtree_control")) {
    if (auto enabled = write_value(base + "/cgroup.subtree_control", enable); !enabled) {
      return enabled.error();
    }
  }
  std::string dir = base;
  bool created = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    dir += "/" + parts[i];
    created = ::mkdir(dir.c_str(), 0755) == 0;
    if (!created && errno != EEXIST) return errno_error("create cgroup " + dir, errno);
    if (delegate && i + 1 < parts.size()) {
      if (auto enabled = write_value(dir + "/cgroup.subtree_control", enable); !enabled) {
        return enabled.error();
      }
    }
  }
  return std::pair{dir, created};
}

Status write_v2_limits(const std::string& leaf, const ResourceLimits& limits) {
  if (auto written = write_value(leaf + "/memory.max", memory_max_value(limits.memory_bytes));
      !written) {
    return written;
  }
  if (exists(leaf + "/memory.swap.max")) {
    if (auto written = write_value(leaf + "/memory.swap.max", "0"); !written) return written;
  }
  // Like the kubelet: an OOM kill takes the whole container, not one process of it.
  if (exists(leaf + "/memory.oom.group")) {
    if (auto written = write_value(leaf + "/memory.oom.group", "1"); !written) return written;
  }
  return write_value(leaf + "/cpu.max", cpu_max_value(limits.cpu_millicores));
}

Status write_v1_memory_limit(const std::string& leaf, const ResourceLimits& limits) {
  const std::string value = limits.memory_bytes ? std::to_string(*limits.memory_bytes) : "-1";
  // memory+swap may never be below memory, so it is lifted before and lowered after.
  const std::string memsw = leaf + "/memory.memsw.limit_in_bytes";
  const bool has_memsw = exists(memsw);
  if (has_memsw) {
    if (auto lifted = write_value(memsw, "-1"); !lifted) return lifted;
  }
  if (auto written = write_value(leaf + "/memory.limit_in_bytes", value); !written) return written;
  if (has_memsw) return write_value(memsw, value);
  return Ok{};
}

Status write_v1_cpu_limit(const std::string& leaf, const ResourceLimits& limits) {
  if (auto written = write_value(leaf + "/cpu.cfs_period_us", std::to_string(kCpuPeriodMicros));
      !written) {
    return written;
  }
  const std::string quota =
      limits.cpu_millicores ? std::to_string(cpu_quota_micros(*limits.cpu_millicores)) : "-1";
  return write_value(leaf + "/cpu.cfs_quota_us", quota);
}

void read_pids(const std::string& dir, std::set<pid_t>& pids) {
  std::istringstream procs(read_text(dir + "/cgroup.procs").value_or(""));
  for (pid_t pid; procs >> pid;) pids.insert(pid);
}

// The group's directory and every directory below it, deepest first.
std::vector<std::string> group_tree(const std::string& root) {
  std::vector<std::string> dirs{root};
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec)) dirs.push_back(it->path().string());
  }
  // A descendant's path extends its ancestor's, so it sorts after it.
  std::sort(dirs.rbegin(), dirs.rend());
  return dirs;
}

// A v2 group stays busy for a moment after its last process was reaped.
Status remove_dir(const std::string& dir) {
  constexpr auto kBusyFor = std::chrono::seconds(1);
  const auto deadline = std::chrono::steady_clock::now() + kBusyFor;
  while (::rmdir(dir.c_str()) != 0) {
    if (errno == ENOENT) return Ok{};
    if (errno != EBUSY || std::chrono::steady_clock::now() > deadline) {
      return errno_error("remove cgroup " + dir, errno);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return Ok{};
}

}  // namespace

CgroupSupport detect_cgroups() {
  const auto own = find_own_cgroups(read_text("/proc/self/mountinfo").value_or(""),
                                    read_text("/proc/self/cgroup").value_or(""));
  auto v2 = v2_base(own.unified);
  if (v2) return {CgroupSupport::V2, "", *v2, *v2};
  auto v1 = v1_bases(own);
  if (v1) return {CgroupSupport::V1, "", own.memory.dir, own.cpu.dir};
  return {CgroupSupport::None, "v2: " + v2.error().message + "; v1: " + v1.error().message, "", ""};
}

const CgroupSupport& cgroup_support() {
  static const CgroupSupport support = detect_cgroups();
  return support;
}

std::string to_string(const CgroupSupport& support) {
  switch (support.mode) {
    case CgroupSupport::V2:
      return "v2";
    case CgroupSupport::V1:
      return "v1";
    case CgroupSupport::None:
      break;
  }
  return "none (" + support.reason + ")";
}

Result<ContainerCgroup> create_container_cgroup(const std::string& relative_group,
                                                const ResourceLimits& limits) {
  auto parts = group_components(relative_group);
  if (!parts) return parts.error();
  if (limits.memory_bytes && *limits.memory_bytes <= 0) {
    return Error::bad_request("memory limit must be positive");
  }
  if (limits.cpu_millicores && *limits.cpu_millicores <= 0) {
    return Error::bad_request("cpu limit must be positive");
  }
  const CgroupSupport& support = cgroup_support();
  if (support.mode == CgroupSupport::None) return unavailable(support);

  const bool v2 = support.mode == CgroupSupport::V2;
  ContainerCgroup group{relative_group, {}};
  std::vector<std::string> created;
  auto undo = [&](Error error) {
    for (const auto& leaf : created) ::rmdir(leaf.c_str());
    return error;
  };
  std::vector<std::string> leaves;
  for (const auto& base : bases(support)) {
    auto made = make_groups(base, *parts, v2);
    if (!made) return undo(made.error());
    if (made->second) created.push_back(made->first);
    leaves.push_back(made->first);
    group.procs_files.push_back(made->first + "/cgroup.procs");
  }
  // bases() lists v1's memory hierarchy before its cpu hierarchy.
  Status written =
      v2 ? write_v2_limits(leaves[0], limits) : write_v1_memory_limit(leaves[0], limits);
  if (written && !v2) written = write_v1_cpu_limit(leaves[1], limits);
  if (!written) return undo(written.error());
  return group;
}

std::vector<pid_t> cgroup_pids(const std::string& relative_group) {
  if (!group_components(relative_group)) return {};
  std::set<pid_t> pids;
  for (const auto& base : bases(cgroup_support())) {
    for (const auto& dir : group_tree(base + "/" + relative_group)) read_pids(dir, pids);
  }
  return {pids.begin(), pids.end()};
}

Status remove_cgroup(const std::string& relative_group) {
  if (auto parts = group_components(relative_group); !parts) return parts.error();
  if (auto pids = cgroup_pids(relative_group); !pids.empty()) {
    std::vector<std::string> listed;
    for (pid_t pid : pids) listed.push_back(std::to_string(pid));
    return Error::conflict("cgroup " + relative_group + " still has processes " +
                           joined(listed, ", ") + ": stop them before removing it");
  }
  for (const auto& base : bases(cgroup_support())) {
    const std::string root = base + "/" + relative_group;
    if (!exists(root)) continue;
    for (const auto& dir : group_tree(root)) {
      if (auto removed = remove_dir(dir); !removed) return removed;
    }
  }
  return Ok{};
}

Result<uint64_t> cgroup_oom_kills(const std::string& relative_group) {
  if (auto parts = group_components(relative_group); !parts) return parts.error();
  const CgroupSupport& support = cgroup_support();
  if (support.mode == CgroupSupport::None) return unavailable(support);
  const std::string file =
      support.memory_base + "/" + relative_group +
      (support.mode == CgroupSupport::V2 ? "/memory.events" : "/memory.oom_control");
  auto text = read_text(file);
  if (!text) return errno_error("read " + file, errno);
  auto kills = keyed_value(*text, "oom_kill");
  if (!kills) return Error::internal(file + " has no oom_kill count (kernel older than 4.13)");
  return *kills;
}

}  // namespace kinda::runtime
