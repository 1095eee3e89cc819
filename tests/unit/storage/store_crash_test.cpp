// A writer process is killed with SIGKILL at an arbitrary moment; the store it leaves behind must
// reopen consistent and hold every change the writer saw committed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <string>

#include "storage/sqlite.hpp"
#include "storage/store.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

namespace kinda::storage {
namespace {

using testing::TempDir;

constexpr size_t kRetention = 100;
constexpr auto kDeadline = std::chrono::seconds(60);

std::string ns_of(int64_t i) {
  return "ns-" + std::to_string(i % 3);
}
std::string pod_name(int64_t i) {
  return "p-" + std::to_string(i);
}
std::string scratch_name(int64_t i) {
  return "tmp-" + std::to_string(i);
}

Object named(const std::string& ns, const std::string& name) {
  return Object{{"metadata", {{"namespace", ns}, {"name", name}}}};
}

// Writes creates, updates and deletes until killed. After iteration i has fully committed it
// reports i on `report_fd`; every failure exits with a distinct code instead of returning into
// the test framework's copy of the parent.
[[noreturn]] void write_until_killed(const std::filesystem::path& db, int report_fd) {
  auto store = Store::open(db);
  if (!store) _exit(2);
  (*store)->set_log_retention(kRetention);
  for (int64_t i = 0;; ++i) {
    if (!(*store)->create("pods", named(ns_of(i), pod_name(i)))) _exit(3);
    Object counter = named("default", "counter");
    counter["data"] = {{"value", i}};
    auto counted =
        i == 0 ? (*store)->create("configmaps", counter) : (*store)->update("configmaps", counter);
    if (!counted) _exit(4);
    if (!(*store)->create("scratch", named("default", scratch_name(i)))) _exit(5);
    if (!(*store)->remove("scratch", "default", scratch_name(i))) _exit(6);
    if (write(report_fd, &i, sizeof i) != static_cast<ssize_t>(sizeof i)) _exit(7);
  }
}

// Kills and reaps the child if the test fails before doing so itself.
struct Child {
  pid_t pid;
  bool reaped = false;
  int status = 0;
  void kill_and_reap() {
    ::kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    reaped = true;
  }
  ~Child() {
    if (!reaped) kill_and_reap();
  }
};

struct Fd {
  explicit Fd(int owned) : fd(owned) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(fd); }
  int fd;
};

// Reads one report, waiting at most until `deadline`; false on end of stream or timeout.
bool read_report(int fd, int64_t& report, std::chrono::steady_clock::time_point deadline) {
  size_t have = 0;
  auto* bytes = reinterpret_cast<char*>(&report);
  while (have < sizeof report) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{fd, POLLIN, 0};
    int polled = poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return false;
    ssize_t n = read(fd, bytes + have, sizeof report - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    have += static_cast<size_t>(n);
  }
  return true;
}

int64_t count_of(sqlite::Database& db, const std::string& sql) {
  auto value = db.query_int64(sql);
  REQUIRE(value.ok());
  return *value;
}

void check_consistent_after_crash(const TempDir& dir, int64_t last_reported) {
  {
    auto raw = sqlite::Database::open(dir.db());
    REQUIRE(raw.ok());
    auto integrity = raw->query_text("PRAGMA integrity_check");
    REQUIRE(integrity.ok());
    CHECK(*integrity == "ok");
  }
  auto opened = Store::open(dir.db());
  REQUIRE(opened.ok());
  Store& store = **opened;
  const int64_t revision = store.revision();

  for (int64_t i = 0; i <= last_reported; ++i) {
    INFO("iteration " << i);
    REQUIRE(store.get("pods", ns_of(i), pod_name(i)).ok());
    REQUIRE(store.get("scratch", "default", scratch_name(i)).error().code == 404);
  }
  // At most one iteration can have committed its pod without getting to report it.
  auto pods = store.list("pods");
  CHECK(static_cast<int64_t>(pods.size()) >= last_reported + 1);
  CHECK(static_cast<int64_t>(pods.size()) <= last_reported + 2);
  auto counter = store.get("configmaps", "default", "counter");
  REQUIRE(counter.ok());
  CHECK((*counter)["data"]["value"].get<int64_t>() >= last_reported);

  auto raw = sqlite::Database::open(dir.db());
  REQUIRE(raw.ok());
  CHECK(count_of(*raw, "SELECT max(resource_version) FROM objects") <= revision);
  const int64_t oldest = count_of(*raw, "SELECT value FROM meta WHERE key = 'oldest_retained'");
  CHECK(count_of(*raw, "SELECT min(revision) FROM revisions") == oldest);
  CHECK(count_of(*raw, "SELECT max(revision) FROM revisions") == revision);
  CHECK(count_of(*raw, "SELECT count(*) FROM revisions") == revision - oldest + 1);
  CHECK(oldest > 1);  // the writer outran its retention, so compaction was part of the crash

  auto recent = store.events_since(revision - static_cast<int64_t>(kRetention));
  REQUIRE(recent.ok());
  CHECK(recent->size() == kRetention);
  CHECK(store.events_since(0).error().code == 410);

  auto next = store.create("pods", named("default", "after-crash"));
  REQUIRE(next.ok());
  CHECK((*next)["metadata"]["resourceVersion"] == std::to_string(revision + 1));
}

TEST_CASE("a writer killed with SIGKILL at any moment leaves a store holding all it committed") {
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    TempDir dir;
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      write_until_killed(dir.db(), fds[1]);
    }
    close(fds[1]);
    Fd reports{fds[0]};
    Child child{pid};

    // Kill after a varying amount of progress so the signal lands in different places.
    const int64_t kill_after = std::uniform_int_distribution<int64_t>(200, 1500)(random);
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    int64_t last_reported = -1, report = 0;
    while (last_reported < kill_after) {
      if (!read_report(reports.fd, report, deadline)) {
        child.kill_and_reap();
        FAIL("the writer stopped early (wait status " << child.status << ")");
      }
      REQUIRE(report == last_reported + 1);
      last_reported = report;
    }
    child.kill_and_reap();
    REQUIRE(WIFSIGNALED(child.status));
    CHECK(WTERMSIG(child.status) == SIGKILL);
    // Reports already in the pipe when the signal hit still describe committed changes.
    while (read_report(reports.fd, report, deadline)) last_reported = report;

    check_consistent_after_crash(dir, last_reported);
  }
}

}  // namespace
}  // namespace kinda::storage
