#include <utility>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "runtime/run_async.hpp"
#include "runtime/sandbox.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::string kResolvConf =
    "nameserver 127.0.0.53\n"
    "search default.svc.cluster.local svc.cluster.local cluster.local\n"
    "options ndots:5\n";
const std::string kHosts = "127.64.0.1\tweb-0.web.default.svc.cluster.local web-0\n";

// A pod "web-0" with a writable and a read-only volume, both at targets missing on the host.
struct Pod {
  TempDir base;
  std::string root_name = "/kinda-test-" + random_suffix();
  std::string data_target = root_name + "/data";
  std::string config_target = root_name + "/config";
  SandboxSpec spec;
  pid_t holder = 0;

  Pod() {
    fs::create_directories(base / "pods/default/web-0");
    fs::create_directories(base / "volumes/data");
    fs::create_directories(base / "volumes/config");
    write_file(base / "resolv.conf", kResolvConf);
    write_file(base / "hosts", kHosts);
    spec.hostname = "web-0";
    spec.dir = base / "pods/default/web-0";
    spec.resolv_conf = base / "resolv.conf";
    spec.hosts = base / "hosts";
    spec.mounts = {{base / "volumes/data", data_target, false},
                   {base / "volumes/config", config_target, true}};
  }

  void start() {
    auto pid = start_sandbox(spec, KINDA_RUNTIME_SANDBOX_HELPER);
    REQUIRE(pid.ok());
    holder = *pid;
  }

  // Ends the holder we started; returns its wait status.
  int stop() {
    ::kill(holder, SIGTERM);
    int status = reap(holder);
    holder = 0;
    return status;
  }

  ~Pod() {
    if (holder > 0) {
      ::kill(holder, SIGKILL);
      reap(holder);
    }
  }

  RunResult run(std::vector<std::string> argv) const {
    boost::asio::io_context io;
    ProcessSpec process;
    process.argv = std::move(argv);
    process.env = test_env();
    process.join_namespaces_of = holder;
    std::optional<kinda::Result<RunResult>> result;
    run_async(io, process, 10s, [&](kinda::Result<RunResult> r) { result = std::move(r); });
    io.run_for(30s);
    REQUIRE(result.has_value());
    REQUIRE(result->ok());
    return result->value();
  }
};

bool running_as_root() {
  if (::geteuid() == 0) return true;
  WARN("not root: skipping sandbox tests");
  return false;
}

std::string host_mounts() {
  return read_file("/proc/self/mountinfo");
}

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.insert(line);
  return result;
}

std::set<std::string> host_entries(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

// Every process whose mount namespace is the given one.
int members_of_mount_namespace(ino_t namespace_inode) {
  int members = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    struct stat st {};
    std::string ns = entry.path().string() + "/ns/mnt";
    if (::stat(ns.c_str(), &st) == 0 && st.st_ino == namespace_inode) ++members;
  }
  return members;
}

}  // namespace

TEST_CASE(
    "a pod in a sandbox sees its hostname, resolver files and volumes at paths the host "
    "does not have, while the host gains no mounts") {
  if (!running_as_root()) return;
  const std::string mounts_before = host_mounts();
  Pod pod;
  pod.start();

  CHECK(pod.run({"hostname"}).output == "web-0\n");
  CHECK(pod.run({"cat", "/etc/resolv.conf"}).output == kResolvConf);
  CHECK(pod.run({"cat", "/etc/hosts"}).output == kHosts);
  CHECK(pod.run({"pwd"}).output == "/\n");

  auto write = pod.run({"sh", "-c", "echo persisted > " + pod.data_target + "/file"});
  CHECK(write.exit_code == 0);
  CHECK(read_file(pod.base / "volumes/data/file") == "persisted\n");

  auto read_only = pod.run({"sh", "-c", "echo nope > " + pod.config_target + "/file"});
  CHECK(read_only.exit_code != 0);
  CHECK_FALSE(fs::exists(pod.base / "volumes/config/file"));

  CHECK(host_mounts() == mounts_before);
  CHECK_FALSE(fs::exists(pod.root_name));
  char hostname[256] = {};
  ::gethostname(hostname, sizeof hostname - 1);
  CHECK(std::string(hostname) != "web-0");
}

TEST_CASE("a volume below an existing host directory leaves that directory's entries visible") {
  if (!running_as_root()) return;
  Pod pod;
  const std::string parent = "/var/lib/kinda-test-" + random_suffix();
  pod.spec.mounts = {{pod.base / "volumes/data", parent + "/data", false}};
  pod.start();

  auto listing = pod.run({"ls", "-a", "/var/lib"});
  REQUIRE(listing.exit_code == 0);
  std::set<std::string> seen = lines(listing.output);
  for (const auto& name : host_entries("/var/lib")) CHECK(seen.count(name) == 1);
  CHECK(seen.count(fs::path(parent).filename()) == 1);

  CHECK(pod.run({"touch", parent + "/data/marker"}).exit_code == 0);
  CHECK(fs::exists(pod.base / "volumes/data/marker"));
  CHECK_FALSE(fs::exists(parent));
}

TEST_CASE(
    "stopping the sandbox holder ends its namespaces and leaves the host's mounts as they "
    "were") {
  if (!running_as_root()) return;
  const std::string mounts_before = host_mounts();
  Pod pod;
  pod.start();
  struct stat ns {};
  REQUIRE(::stat(("/proc/" + std::to_string(pod.holder) + "/ns/mnt").c_str(), &ns) == 0);
  REQUIRE(members_of_mount_namespace(ns.st_ino) == 1);

  int status = pod.stop();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(members_of_mount_namespace(ns.st_ino) == 0);
  CHECK(host_mounts() == mounts_before);
}

TEST_CASE("a sandbox that cannot be built fails to start and says why") {
  if (!running_as_root()) return;
  Pod pod;
  const std::string missing = pod.base / "volumes/missing";
  pod.spec.mounts = {{missing, "/data", false}};

  auto pid = start_sandbox(pod.spec, KINDA_RUNTIME_SANDBOX_HELPER);
  REQUIRE_FALSE(pid.ok());
  CHECK_THAT(pid.error().message,
             Catch::Contains(missing) && Catch::Contains("No such file or directory"));
}
