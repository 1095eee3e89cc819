#include <signal.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>

#include <catch2/catch.hpp>

#include "kubelet/process_scan.hpp"
#include "runtime/process.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda;
using runtime::testing::reap;
using runtime::testing::TempDir;

namespace {

// A session leader with a pod's markers, as the shim starts a container and the daemon a probe.
pid_t start_marked(const std::string& root, const std::string& pod, const std::string& container) {
  runtime::ProcessSpec spec;
  spec.argv = {"sleep", "30"};
  spec.env = {"PATH=/usr/bin:/bin", "KINDA_CLUSTER_ROOT=" + root, "KINDA_POD=" + pod,
              "KINDA_POD_UID=uid-1", "KINDA_CONTAINER=" + container};
  auto pid = runtime::spawn(spec);  // returns once the program runs, with its own environment
  REQUIRE(pid.ok());
  return *pid;
}

}  // namespace

TEST_CASE(
    "the process scan finds every session leader carrying a pod's markers, an exec probe beside "
    "its container included, and nothing of another cluster") {
  TempDir root, other_root;
  pid_t container = start_marked(root.path(), "default/web-0", "app");
  pid_t probe = start_marked(root.path(), "default/web-0", "app");
  pid_t other = start_marked(other_root.path(), "default/web-0", "app");

  auto found = kubelet::scan_cluster_processes(root.path());

  for (pid_t pid : {container, probe, other}) {
    ::kill(pid, SIGKILL);
    reap(pid);
  }
  REQUIRE(found.size() == 1);
  REQUIRE(found.count("default/web-0") == 1);
  auto leaders = found["default/web-0"].session_leaders;
  std::sort(leaders.begin(), leaders.end());
  CHECK(leaders == std::vector<pid_t>{std::min(container, probe), std::max(container, probe)});
  CHECK(found["default/web-0"].uid == "uid-1");
}

TEST_CASE(
    "session leaders whose parent is neither a shim nor the scanning daemon are orphans: what a "
    "daemon killed while running a probe or kubectl exec left behind") {
  TempDir root;
  pid_t ours = start_marked(root.path(), "default/web-0", "app");
  // sh starts a session leader in the background and exits: its child's parent becomes init (or
  // a subreaper), as a dead daemon's probe's does.
  runtime::ProcessSpec spec;
  const std::string pid_file = root.path() + "/orphan.pid";
  spec.argv = {"sh", "-c", "setsid sleep 30 & echo $! > " + pid_file};
  spec.env = {"PATH=/usr/bin:/bin", "KINDA_CLUSTER_ROOT=" + root.path(), "KINDA_POD=default/web-0",
              "KINDA_POD_UID=uid-1", "KINDA_CONTAINER=app"};
  auto sh = runtime::spawn(spec);
  REQUIRE(sh.ok());
  reap(*sh);
  pid_t orphan = 0;
  {
    std::ifstream in(pid_file);
    in >> orphan;
  }
  REQUIRE(orphan > 0);
  // setsid has made its session once the scan sees it as a leader; look until it has.
  kubelet::FoundPod found;
  for (int i = 0; i < 200 && found.session_leaders.size() < 2; ++i) {
    found = kubelet::scan_cluster_processes(root.path())["default/web-0"];
    if (found.session_leaders.size() < 2) ::usleep(10000);
  }
  ::kill(ours, SIGKILL);
  reap(ours);
  ::kill(orphan, SIGKILL);
  CHECK(found.session_leaders.size() == 2);
  CHECK(found.orphans == std::vector<pid_t>{orphan});
}
