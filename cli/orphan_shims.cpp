#include "cli/orphan_shims.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "runtime/socket_path.hpp"

namespace kinda::cli {
namespace {

namespace fs = std::filesystem;

// Connects and sends one stop request.
bool ask_to_stop(const fs::path& socket_path) {
  auto fd = runtime::connect_unix(socket_path.string());
  if (!fd) return false;
  // No graceMs: the shim uses the pod's own terminationGracePeriodSeconds (time-scaled).
  const std::string line = "{\"id\":1,\"op\":\"stop\"}\n";
  return ::write(fd->get(), line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

}  // namespace

int stop_orphaned_shims(const storage::ClusterPaths& paths, std::chrono::milliseconds timeout) {
  std::vector<int> pidfds;
  std::error_code ec;
  for (const auto& ns_dir : fs::directory_iterator(paths.pods(), ec)) {
    std::error_code ec2;
    for (const auto& pod_dir : fs::directory_iterator(ns_dir.path(), ec2)) {
      if (!fs::exists(pod_dir.path() / "shim.sock", ec2)) continue;
      long pid = 0;  // the shim writes its pid into its identity lock file
      std::ifstream(pod_dir.path() / "shim.lock") >> pid;
      // The pidfd is taken before asking, so a quick exit cannot be mistaken for a recycled pid.
      int pidfd = pid > 0 ? static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)) : -1;
      if (!ask_to_stop(pod_dir.path() / "shim.sock")) {
        if (pidfd >= 0) ::close(pidfd);
        continue;
      }
      std::cout << "Stopping pod " << ns_dir.path().filename().string() << "/"
                << pod_dir.path().filename().string() << " (its daemon is gone)" << std::endl;
      if (pidfd >= 0) pidfds.push_back(pidfd);
    }
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int stopped = 0;
  for (int fd : pidfds) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))) == 1)
      ++stopped;
    else
      std::cerr << "warning: a pod shim did not stop in time" << std::endl;
    ::close(fd);
  }
  return stopped;
}

}  // namespace kinda::cli
