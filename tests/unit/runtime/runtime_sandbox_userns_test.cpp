// The unprivileged story: a user without root starts a pod's sandbox holder and runs containers in
// it. Run as root, the holder and the containers drop to the user nobody.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "runtime/sandbox.hpp"
#include "tests/unit/support/runtime_unprivileged.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;
namespace fs = std::filesystem;

namespace {

const std::string kUsernsResolvConf = "nameserver 127.0.0.53\noptions ndots:5\n";
const std::string kUsernsHosts = "127.64.0.7\tweb-0.web.default.svc.cluster.local web-0\n";

bool user_namespaces_allowed() {
  const std::string isolation = unprivileged_isolation();
  if (isolation == "namespaces-userns\n") return true;
  WARN("unprivileged user namespaces are not allowed here, skipping: " << isolation);
  return false;
}

// Run as root, the files the pod's user needs are handed to nobody.
void give_to_user(const std::string& path) {
  if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), kNobody, kNogroup) == 0);
}

// A pod "web-0" whose files the unprivileged user may use: a writable and a read-only volume at
// targets that do not exist on the host.
struct UnprivilegedPod {
  TempDir base;
  std::string root_name = "/kinda-test-" + random_suffix();
  std::string data_target = root_name + "/data";
  std::string config_target = root_name + "/config";
  SandboxSpec spec;
  pid_t holder = 0;

  UnprivilegedPod() {
    REQUIRE(::chmod(base.path().c_str(), 0755) == 0);
    fs::create_directories(base / "pods/default/web-0");
    fs::create_directories(base / "volumes/data");
    fs::create_directories(base / "volumes/config");
    for (const char* dir : {"pods", "pods/default", "volumes"}) ::chmod((base / dir).c_str(), 0755);
    give_to_user(base / "pods/default/web-0");
    give_to_user(base / "volumes/data");
    give_to_user(base / "volumes/config");
    write_file(base / "resolv.conf", kUsernsResolvConf);
    write_file(base / "hosts", kUsernsHosts);
    // start_sandbox runs `<self_exe> sandbox <spec>`; this stands in for kinda run by that user.
    std::string helper = "'" + std::string(KINDA_RUNTIME_UNPRIVILEGED_HELPER) + "'";
    for (const auto& arg : as_unprivileged()) helper += " " + arg;
    write_file(base / "kinda-unprivileged", "#!/bin/sh\nexec " + helper + " \"$@\"\n");
    ::chmod((base / "kinda-unprivileged").c_str(), 0700);
    spec.hostname = "web-0";
    spec.dir = base / "pods/default/web-0";
    spec.resolv_conf = base / "resolv.conf";
    spec.hosts = base / "hosts";
    spec.mounts = {{base / "volumes/data", data_target, false},
                   {base / "volumes/config", config_target, true}};
  }

  void start() {
    auto pid = start_sandbox(spec, base / "kinda-unprivileged");
    if (!pid) FAIL(pid.error().message << "\n" << read_file(spec.dir + "/sandbox.log"));
    holder = *pid;
  }

  int stop() {
    ::kill(holder, SIGTERM);
    int status = reap(holder);
    holder = 0;
    return status;
  }

  ~UnprivilegedPod() {
    if (holder > 0) {
      ::kill(holder, SIGKILL);
      reap(holder);
    }
  }

  // Runs argv as the unprivileged user in the pod, the way `kinda exec` joins a holder.
  RunResult run(const std::vector<std::string>& argv) const {
    std::vector<std::string> args = {"join", std::to_string(holder)};
    args.insert(args.end(), argv.begin(), argv.end());
    return run_unprivileged(args);
  }
};

ino_t namespace_inode(const std::string& pid, const char* kind) {
  struct stat st {};
  REQUIRE(::stat(("/proc/" + pid + "/ns/" + kind).c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE(
    "without root, a sandbox holder in a user namespace gives a pod its hostname, /etc/hosts, "
    "resolver and volumes, and containers run in it as the same user") {
  if (!user_namespaces_allowed()) return;
  const std::string mounts_before = read_file("/proc/self/mountinfo");
  UnprivilegedPod pod;
  pod.start();
  const std::string holder = std::to_string(pod.holder);
  CHECK(namespace_inode(holder, "user") != namespace_inode("self", "user"));
  const std::string uid = std::to_string(unprivileged_uid());
  CHECK_THAT(read_file("/proc/" + holder + "/status"),
             Catch::Contains("Uid:\t" + uid + "\t" + uid));

  CHECK(pod.run({"hostname"}).output == "web-0\n");
  CHECK(pod.run({"cat", "/etc/hosts"}).output == kUsernsHosts);
  CHECK(pod.run({"cat", "/etc/resolv.conf"}).output == kUsernsResolvConf);
  CHECK(pod.run({"id", "-u"}).output == uid + "\n");
  CHECK(pod.run({"pwd"}).output == "/\n");

  auto write = pod.run({"sh", "-c", "echo persisted > " + pod.data_target + "/file"});
  CHECK(write.exit_code == 0);
  CHECK(read_file(pod.base / "volumes/data/file") == "persisted\n");
  struct stat written {};
  REQUIRE(::stat((pod.base / "volumes/data/file").c_str(), &written) == 0);
  CHECK(written.st_uid == unprivileged_uid());

  auto read_only = pod.run({"sh", "-c", "echo nope > " + pod.config_target + "/file"});
  CHECK(read_only.exit_code != 0);
  CHECK_FALSE(fs::exists(pod.base / "volumes/config/file"));

  // The container cannot take its mounts apart to see the host's files behind them.
  CHECK(pod.run({"umount", "/etc/hosts"}).exit_code != 0);
  CHECK(pod.run({"cat", "/etc/hosts"}).output == kUsernsHosts);

  int status = pod.stop();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_file("/proc/self/mountinfo") == mounts_before);
  CHECK_FALSE(fs::exists(pod.root_name));
  char hostname[256] = {};
  ::gethostname(hostname, sizeof hostname - 1);
  CHECK(std::string(hostname) != "web-0");
}

TEST_CASE(
    "without root, a volume below an existing host directory still shows that directory's "
    "entries") {
  if (!user_namespaces_allowed()) return;
  UnprivilegedPod pod;
  const std::string parent = "/var/lib/kinda-test-" + random_suffix();
  pod.spec.mounts = {{pod.base / "volumes/data", parent + "/data", false}};
  pod.start();

  auto listing = pod.run({"ls", "-a", "/var/lib"});
  REQUIRE(listing.exit_code == 0);
  for (const auto& entry : fs::directory_iterator("/var/lib")) {
    CHECK_THAT(listing.output, Catch::Contains(entry.path().filename().string() + "\n"));
  }
  CHECK(pod.run({"touch", parent + "/data/marker"}).exit_code == 0);
  CHECK(fs::exists(pod.base / "volumes/data/marker"));
  CHECK_FALSE(fs::exists(parent));
}
