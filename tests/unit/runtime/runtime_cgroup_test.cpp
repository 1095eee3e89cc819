#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include "runtime/cgroup.hpp"
#include "runtime/process.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kMemoryLimit = 64 << 20;

bool contains(const std::vector<pid_t>& pids, pid_t pid) {
  return std::find(pids.begin(), pids.end(), pid) != pids.end();
}

std::string first_line(const std::string& path) {
  std::string text = read_file(path);
  return text.substr(0, text.find('\n'));
}

// A cluster's worth of groups for one test: the processes it starts are killed by pid and reaped,
// then the whole tree is removed.
struct TestGroups {
  std::string top = "kinda-test-" + random_suffix();
  std::string container = top + "/pod-uid/app";
  std::vector<pid_t> started;

  kinda::Result<pid_t> start(std::vector<std::string> argv, const ContainerCgroup& group) {
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.env = test_env();
    spec.join_cgroups = group.procs_files;
    auto pid = spawn(spec);
    if (pid) started.push_back(*pid);
    return pid;
  }

  int wait(pid_t pid) {
    int status = reap(pid);
    started.erase(std::remove(started.begin(), started.end(), pid), started.end());
    return status;
  }

  ~TestGroups() {
    for (pid_t pid : started) {
      ::kill(pid, SIGKILL);
      reap(pid);
    }
    if (auto removed = remove_cgroup(top); !removed) WARN(removed.error().message);
  }
};

}  // namespace

TEST_CASE("cgroup support is reported as v2, v1 or none with the reason") {
  const CgroupSupport& support = cgroup_support();
  const std::string shown = to_string(support);
  INFO(shown);
  switch (support.mode) {
    case CgroupSupport::V2:
      CHECK(shown == "v2");
      CHECK(support.memory_base == support.cpu_base);
      break;
    case CgroupSupport::V1:
      CHECK(shown == "v1");
      CHECK(fs::exists(support.memory_base + "/memory.limit_in_bytes"));
      CHECK(fs::exists(support.cpu_base + "/cpu.cfs_quota_us"));
      break;
    case CgroupSupport::None:
      CHECK_FALSE(support.reason.empty());
      CHECK(shown == "none (" + support.reason + ")");
      break;
  }
}

TEST_CASE(
    "a container cgroup holds its memory and cpu limits and its processes, and a process "
    "allocating beyond the limit is OOM-killed, which the group reports") {
  const CgroupSupport& support = cgroup_support();
  TestGroups groups;
  if (support.mode == CgroupSupport::None) {
    WARN("cgroups unavailable, limits not enforced: " << support.reason);
    CHECK(detect_cgroups().mode == CgroupSupport::None);
    auto group = create_container_cgroup(groups.container, {kMemoryLimit, 250});
    REQUIRE_FALSE(group.ok());
    CHECK_THAT(group.error().message, Catch::Contains(support.reason));
    return;
  }
  INFO("cgroups " << to_string(support));

  auto group = create_container_cgroup(groups.container, {kMemoryLimit, 250});
  REQUIRE(group.ok());
  const std::string memory_dir = support.memory_base + "/" + groups.container;
  const std::string cpu_dir = support.cpu_base + "/" + groups.container;
  if (support.mode == CgroupSupport::V2) {
    CHECK(group->procs_files == std::vector<std::string>{memory_dir + "/cgroup.procs"});
    CHECK(first_line(memory_dir + "/memory.max") == "67108864");
    CHECK(first_line(cpu_dir + "/cpu.max") == "25000 100000");
    if (fs::exists(memory_dir + "/memory.swap.max")) {
      CHECK(first_line(memory_dir + "/memory.swap.max") == "0");
    }
  } else {
    CHECK(group->procs_files ==
          std::vector<std::string>{memory_dir + "/cgroup.procs", cpu_dir + "/cgroup.procs"});
    CHECK(first_line(memory_dir + "/memory.limit_in_bytes") == "67108864");
    if (fs::exists(memory_dir + "/memory.memsw.limit_in_bytes")) {
      CHECK(first_line(memory_dir + "/memory.memsw.limit_in_bytes") == "67108864");
    }
    CHECK(first_line(cpu_dir + "/cpu.cfs_quota_us") == "25000");
    CHECK(first_line(cpu_dir + "/cpu.cfs_period_us") == "100000");
  }

  auto sleeper = groups.start({"sleep", "60"}, *group);
  REQUIRE(sleeper.ok());
  CHECK(contains(cgroup_pids(groups.container), *sleeper));
  CHECK(contains(cgroup_pids(groups.top), *sleeper));
  CHECK_THAT(read_file("/proc/" + std::to_string(*sleeper) + "/cgroup"),
             Catch::Contains(groups.container));
  auto busy = remove_cgroup(groups.top);
  REQUIRE_FALSE(busy.ok());
  CHECK_THAT(busy.error().message, Catch::Contains(std::to_string(*sleeper)));
  CHECK(fs::exists(memory_dir));
  ::kill(*sleeper, SIGKILL);
  groups.wait(*sleeper);
  CHECK(cgroup_pids(groups.top).empty());

  auto kills_before = cgroup_oom_kills(groups.container);
  REQUIRE(kills_before.ok());
  CHECK(*kills_before == 0);
  auto hog = groups.start({KINDA_RUNTIME_MEMORY_HOG, "256"}, *group);
  REQUIRE(hog.ok());
  int status = groups.wait(*hog);
  CHECK(WIFSIGNALED(status));
  CHECK(exit_code_from_wait_status(status) == 128 + SIGKILL);
  auto kills_after = cgroup_oom_kills(groups.container);
  REQUIRE(kills_after.ok());
  CHECK(*kills_after >= 1);

  REQUIRE(remove_cgroup(groups.top).ok());
  CHECK_FALSE(fs::exists(support.memory_base + "/" + groups.top));
  CHECK_FALSE(fs::exists(support.cpu_base + "/" + groups.top));
  CHECK(remove_cgroup(groups.top).ok());
}

TEST_CASE("an existing container cgroup is reused with the limits given now") {
  const CgroupSupport& support = cgroup_support();
  if (support.mode == CgroupSupport::None) {
    WARN("cgroups unavailable: " << support.reason);
    return;
  }
  TestGroups groups;
  REQUIRE(create_container_cgroup(groups.container, {kMemoryLimit, 250}).ok());
  REQUIRE(create_container_cgroup(groups.container, {std::nullopt, 500}).ok());
  const std::string memory_dir = support.memory_base + "/" + groups.container;
  const std::string cpu_dir = support.cpu_base + "/" + groups.container;
  if (support.mode == CgroupSupport::V2) {
    CHECK(first_line(memory_dir + "/memory.max") == "max");
    CHECK(first_line(cpu_dir + "/cpu.max") == "50000 100000");
  } else {
    CHECK(first_line(memory_dir + "/memory.limit_in_bytes") != "67108864");
    CHECK(first_line(cpu_dir + "/cpu.cfs_quota_us") == "50000");
  }
}

TEST_CASE("cgroup names must be relative paths without empty, . or .. parts") {
  for (const char* bad : {"", "/kinda", "kinda//pod", "kinda/../other", "./kinda", "kinda/"}) {
    INFO(bad);
    auto group = create_container_cgroup(bad, {});
    REQUIRE_FALSE(group.ok());
    CHECK(group.error().code == 400);
    CHECK_FALSE(remove_cgroup(bad).ok());
    CHECK(cgroup_pids(bad).empty());
  }
}

TEST_CASE("a process that cannot join its cgroup does not start, and spawn names the cgroup") {
  ProcessSpec spec;
  spec.argv = {"true"};
  spec.env = test_env();

  spec.join_cgroups = {"/nonexistent/kinda/cgroup.procs"};
  auto missing = spawn(spec);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("/nonexistent/kinda/cgroup.procs"));

  // /dev/full opens but refuses every write, as a cgroup refusing a process would.
  spec.join_cgroups = {"/dev/null", "/dev/full"};
  auto refused = spawn(spec);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message,
             Catch::Contains("join cgroup /dev/full") && Catch::Contains("No space left"));
}
