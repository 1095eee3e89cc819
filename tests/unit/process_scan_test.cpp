#include <signal.h>

#include <algorithm>

#include <catch2/catch.hpp>

#include "daemon/process_scan.hpp"
#include "runtime/process.hpp"
#include "tests/unit/runtime_test_support.hpp"

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

  auto found = daemon::scan_cluster_processes(root.path());

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
