#include "kubelet/process_scan.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include <unistd.h>

namespace kinda::kubelet {
namespace {

std::vector<std::string> read_nul_separated(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> parts;
  std::string part;
  while (std::getline(in, part, '\0')) parts.push_back(part);
  return parts;
}

struct Lineage {
  pid_t parent = 0, session = 0;
};

// Fields 4 and 6 of /proc/<pid>/stat; the comm field may hold spaces, so parse after the last ')'.
Lineage lineage_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(stat.substr(close + 2));
  std::string state;
  long ppid = 0, pgrp = 0, session = 0;
  rest >> state >> ppid >> pgrp >> session;
  return {static_cast<pid_t>(ppid), static_cast<pid_t>(session)};
}

}  // namespace

std::map<std::string, FoundPod> scan_cluster_processes(const std::string& cluster_root) {
  std::map<std::string, FoundPod> found;
  std::set<pid_t> holders;  // shims and sandbox holders
  struct Leader {
    std::string pod;
    pid_t pid, parent;
  };
  std::vector<Leader> leaders;
  const std::string root_marker = "KINDA_CLUSTER_ROOT=" + cluster_root;
  const std::string pods_prefix = cluster_root + "/pods/";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));

    auto cmdline = read_nul_separated(entry.path() / "cmdline");
    if (cmdline.size() == 3 && (cmdline[1] == "sandbox" || cmdline[1] == "shim") &&
        cmdline[2].rfind(pods_prefix, 0) == 0) {
      // <root>/pods/<ns>/<pod>/{sandbox,shim}.json
      std::filesystem::path rel = cmdline[2].substr(pods_prefix.size());
      auto it = rel.begin();
      if (std::distance(rel.begin(), rel.end()) == 3) {
        std::string ns = (it++)->string(), pod = it->string();
        auto& f = found[ns + "/" + pod];
        holders.insert(pid);
        if (cmdline[1] == "shim")
          f.shim_pids.push_back(pid);
        else
          f.sandbox_pid = pid;
      }
      continue;
    }
    auto env = read_nul_separated(entry.path() / "environ");
    bool ours = false;
    std::string uid, key;
    bool container = false;
    for (const auto& var : env) {
      if (var == root_marker)
        ours = true;
      else if (var.rfind("KINDA_POD_UID=", 0) == 0)
        uid = var.substr(14);
      else if (var.rfind("KINDA_CONTAINER=", 0) == 0)
        container = true;
      else if (var.rfind("KINDA_POD=", 0) == 0)
        key = var.substr(10);
    }
    if (!ours || uid.empty() || !container || key.empty()) continue;
    auto& f = found[key];
    f.uid = uid;
    f.marked.push_back(pid);
    auto lineage = lineage_of(pid);
    if (lineage.session != pid) continue;
    f.session_leaders.push_back(pid);
    leaders.push_back({key, pid, lineage.parent});
  }
  // Only once every shim and holder is known: a leader may be listed before its parent.
  // The scanning daemon's own children (a probe it started already) are not orphans.
  for (const auto& l : leaders)
    if (!holders.count(l.parent) && l.parent != ::getpid()) found[l.pod].orphans.push_back(l.pid);
  return found;
}

}  // namespace kinda::kubelet
