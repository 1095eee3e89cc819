#include <utility>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "runtime/exit_watcher.hpp"
#include "runtime/process.hpp"
#include "runtime/process_identity.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;

namespace {

constexpr auto kDeadline = std::chrono::seconds(10);

pid_t start(std::vector<std::string> argv, const std::string& log_path = "") {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = test_env();
  spec.log_path = log_path;
  auto pid = spawn(spec);
  REQUIRE(pid.ok());
  return *pid;
}

// Starts `sleep` through a shell that exits at once, so the sleep is reparented away from us.
pid_t start_orphan(const TempDir& dir) {
  pid_t shell = start({"sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $!"}, dir / "orphan.pid");
  reap(shell);
  return std::stoi(read_file(dir / "orphan.pid"));
}

}  // namespace

TEST_CASE("an exit watcher reaps our child and reports its exit status") {
  boost::asio::io_context io;
  pid_t pid = start({"sh", "-c", "exit 3"});
  std::optional<std::optional<int>> reported;
  ExitWatcher watcher(io, pid, [&](std::optional<int> status) { reported = status; });
  io.run_for(kDeadline);

  REQUIRE(reported.has_value());
  REQUIRE(reported->has_value());
  CHECK(WIFEXITED(**reported));
  CHECK(WEXITSTATUS(**reported) == 3);
  CHECK_FALSE(process_start_time(pid).has_value());  // reaped: no zombie left
}

TEST_CASE("an exit watcher reports the signal that killed our child") {
  boost::asio::io_context io;
  pid_t pid = start({"sleep", "300"});
  std::optional<std::optional<int>> reported;
  ExitWatcher watcher(io, pid, [&](std::optional<int> status) { reported = status; });
  ::kill(pid, SIGKILL);
  io.run_for(kDeadline);

  REQUIRE(reported.has_value());
  REQUIRE(reported->has_value());
  CHECK(WIFSIGNALED(**reported));
  CHECK(WTERMSIG(**reported) == SIGKILL);
}

TEST_CASE("an exit watcher reports the end of a process that is not our child, without status") {
  TempDir dir;
  boost::asio::io_context io;
  pid_t orphan = start_orphan(dir);
  auto started = process_start_time(orphan);
  REQUIRE(started.has_value());
  REQUIRE(::waitpid(orphan, nullptr, WNOHANG) == -1);  // not ours to reap

  int calls = 0;
  std::optional<int> status = 0;
  ExitWatcher watcher(io, orphan, [&](std::optional<int> s) {
    ++calls;
    status = s;
  });
  REQUIRE(same_process(orphan, *started));
  ::kill(orphan, SIGTERM);
  io.run_for(kDeadline);

  CHECK(calls == 1);
  CHECK_FALSE(status.has_value());
}

TEST_CASE("watching a process that is already gone reports its end from the io_context") {
  boost::asio::io_context io;
  pid_t pid = start({"true"});
  reap(pid);
  bool reported = false;
  ExitWatcher watcher(io, pid, [&](std::optional<int> status) {
    reported = true;
    CHECK_FALSE(status.has_value());
  });
  CHECK_FALSE(reported);  // never inline
  io.run_for(kDeadline);
  CHECK(reported);
}

TEST_CASE("destroying an exit watcher cancels its callback") {
  boost::asio::io_context io;
  pid_t pid = start({"sleep", "300"});
  bool reported = false;
  auto watcher =
      std::make_unique<ExitWatcher>(io, pid, [&](std::optional<int>) { reported = true; });
  watcher.reset();
  ::kill(pid, SIGKILL);
  reap(pid);
  io.run_for(kDeadline);
  CHECK_FALSE(reported);
}
