#include <catch2/catch.hpp>

#include "runtime/cgroup_mounts.hpp"
#include "runtime/cgroup_values.hpp"
#include "runtime/user_namespace.hpp"

using namespace kinda::runtime;

namespace {

// A systemd machine with only the unified hierarchy, a login shell in a session scope.
const std::string kSystemdV2Mounts =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
    "25 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw\n"
    "30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";
const std::string kSystemdV2Cgroup = "0::/user.slice/user-1000.slice/session-3.scope\n";

// This kind of hybrid: v1 controllers under /sys/fs/cgroup/<name>, an empty unified tree, our
// memory cgroup nested in a supervisor's tree while every other hierarchy has us at its root.
const std::string kHybridMounts =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
const std::string kHybridCgroup =
    "9:name=systemd:/\n"
    "4:memory:/process_api/476034b9\n"
    "2:cpuacct:/\n"
    "1:cpu:/\n"
    "0::/\n";

// Older systemd v1: cpu and cpuacct share a hierarchy, with extra mount options.
const std::string kSystemdV1Mounts =
    "26 25 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
    "27 26 0:24 / /sys/fs/cgroup/systemd rw,nosuid shared:10 - cgroup cgroup "
    "rw,xattr,name=systemd\n"
    "31 26 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:14 - cgroup cgroup "
    "rw,cpu,cpuacct\n"
    "33 26 0:30 / /sys/fs/cgroup/memory rw,nosuid shared:16 - cgroup cgroup rw,memory\n";
const std::string kSystemdV1Cgroup =
    "11:memory:/system.slice/kinda.service\n"
    "4:cpu,cpuacct:/system.slice/kinda.service\n"
    "1:name=systemd:/system.slice/kinda.service\n";

}  // namespace

TEST_CASE("on a systemd v2 machine our cgroup is found in the unified hierarchy") {
  auto own = find_own_cgroups(kSystemdV2Mounts, kSystemdV2Cgroup);
  CHECK(own.unified.dir == "/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope");
  CHECK(own.unified.mount_point == "/sys/fs/cgroup");
  CHECK_FALSE(own.memory.found());
  CHECK_FALSE(own.cpu.found());
}

TEST_CASE("on a hybrid machine the memory and cpu hierarchies each show our own cgroup") {
  auto own = find_own_cgroups(kHybridMounts, kHybridCgroup);
  CHECK(own.memory.dir == "/sys/fs/cgroup/memory/process_api/476034b9");
  CHECK(own.cpu.dir == "/sys/fs/cgroup/cpu");
  CHECK(own.cpu.mount_point == "/sys/fs/cgroup/cpu");
  CHECK(own.unified.dir == "/sys/fs/cgroup/unified");
}

TEST_CASE("a v1 hierarchy holding several controllers is matched by any of them") {
  auto own = find_own_cgroups(kSystemdV1Mounts, kSystemdV1Cgroup);
  CHECK(own.cpu.dir == "/sys/fs/cgroup/cpu,cpuacct/system.slice/kinda.service");
  CHECK(own.memory.dir == "/sys/fs/cgroup/memory/system.slice/kinda.service");
  CHECK_FALSE(own.unified.found());
}

TEST_CASE("a bind mount of a subtree shows our cgroup below its root, and nothing outside it") {
  const std::string mounts =
      "40 30 0:26 /kubepods/pod1 /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
  auto inside = find_own_cgroups(mounts, "0::/kubepods/pod1/app\n");
  CHECK(inside.unified.dir == "/sys/fs/cgroup/app");
  CHECK(find_own_cgroups(mounts, "0::/kubepods/pod1\n").unified.dir == "/sys/fs/cgroup");
  CHECK_FALSE(find_own_cgroups(mounts, "0::/kubepods/pod10\n").unified.found());
  CHECK_FALSE(find_own_cgroups(mounts, "0::/system.slice\n").unified.found());
}

TEST_CASE("mount points with escaped characters are unescaped") {
  const std::string mounts =
      "40 30 0:26 / /tmp/my\\040cgroups rw - cgroup2 none rw\n"
      "41 30 0:27 / /tmp/other rw shared:3 master:1 - cgroup cgroup rw,memory\n";
  auto mounted = parse_cgroup_mounts(mounts);
  REQUIRE(mounted.size() == 2);
  CHECK(mounted[0].mount_point == "/tmp/my cgroups");
  CHECK(mounted[0].unified);
  CHECK(mounted[1].mount_point == "/tmp/other");
  CHECK_FALSE(mounted[1].unified);
  CHECK(find_own_cgroups(mounts, "3:memory:/a\n").memory.dir == "/tmp/other/a");
}

TEST_CASE("/proc/self/cgroup lines give hierarchy, controllers and path") {
  auto memberships = parse_proc_cgroup("4:cpu,cpuacct:/a/b\n0::/\nnot a line\n");
  REQUIRE(memberships.size() == 2);
  CHECK(memberships[0].hierarchy == 4);
  CHECK(memberships[0].controllers == std::vector<std::string>{"cpu", "cpuacct"});
  CHECK(memberships[0].path == "/a/b");
  CHECK(memberships[1].hierarchy == 0);
  CHECK(memberships[1].controllers.empty());
  CHECK(memberships[1].path == "/");
}

TEST_CASE("cpu limits become CFS quotas per 100 ms period, never below 1 ms") {
  CHECK(cpu_quota_micros(250) == 25000);
  CHECK(cpu_quota_micros(2000) == 200000);
  CHECK(cpu_quota_micros(1) == 1000);
  CHECK(cpu_max_value(250) == "25000 100000");
  CHECK(cpu_max_value(std::nullopt) == "max 100000");
  CHECK(memory_max_value(64 << 20) == "67108864");
  CHECK(memory_max_value(std::nullopt) == "max");
}

TEST_CASE("OOM kill counts are read from v2 memory.events and v1 memory.oom_control") {
  CHECK(keyed_value("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n", "oom_kill") ==
        1u);
  CHECK(keyed_value("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "oom_kill") == 3u);
  CHECK_FALSE(keyed_value("oom_kill_disable 0\nunder_oom 0\n", "oom_kill").has_value());
}

TEST_CASE("an id counts as mapped when a uid_map or gid_map range covers it") {
  CHECK(id_mapped("         0          0 4294967295\n", 0));
  CHECK(id_mapped("         0          0 4294967295\n", 65534));
  CHECK(id_mapped("65534 65534 1\n", 65534));
  CHECK_FALSE(id_mapped("1000 1000 1\n", 0));
  CHECK_FALSE(id_mapped("1000 1000 1\n", 65534));
  CHECK(id_mapped("0 100000 65536\n", 65535));
  CHECK_FALSE(id_mapped("", 0));
}
