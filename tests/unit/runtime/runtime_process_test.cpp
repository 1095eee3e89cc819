#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "runtime/isolation.hpp"
#include "runtime/process.hpp"
#include "runtime/process_identity.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;

TEST_CASE(
    "spawn runs the argument vector with exactly the given environment and working dir, "
    "appending its output to the log file") {
  TempDir dir;
  write_file(dir / "out.log", "earlier\n");
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo \"$GREETING\" \"$1\"; pwd; env", "sh", "two words"};
  spec.env = {"PATH=/usr/bin:/bin", "GREETING=hello"};
  spec.working_dir = dir.path();
  spec.log_path = dir / "out.log";

  auto pid = spawn(spec);
  REQUIRE(pid.ok());
  int status = reap(*pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);

  std::string log = read_file(dir / "out.log");
  REQUIRE(log.rfind("earlier\nhello two words\n" + dir.path() + "\n", 0) == 0);
  CHECK(log.find("GREETING=hello\n") != std::string::npos);
  CHECK(log.find("HOME=") == std::string::npos);
}

TEST_CASE("spawn looks argv[0] up on the PATH of the given environment, not the caller's") {
  TempDir dir;
  std::filesystem::create_directory(dir / "bin");
  write_file(dir / "bin/kinda-test-tool", "#!/bin/sh\necho tool ran\n");
  ::chmod((dir / "bin/kinda-test-tool").c_str(), 0755);
  ProcessSpec spec;
  spec.argv = {"kinda-test-tool"};
  spec.env = {"PATH=" + dir.path() + "/bin:/usr/bin:/bin"};
  spec.log_path = dir / "out.log";

  auto pid = spawn(spec);
  REQUIRE(pid.ok());
  reap(*pid);
  REQUIRE(read_file(dir / "out.log") == "tool ran\n");
}

TEST_CASE("starting a program that does not exist is an Error naming it, not a dead child") {
  ProcessSpec spec;
  spec.argv = {"kinda-no-such-program"};
  spec.env = test_env();

  auto pid = spawn(spec);
  REQUIRE_FALSE(pid.ok());
  CHECK_THAT(pid.error().message,
             Catch::Contains("\"kinda-no-such-program\"") && Catch::Contains("not found in $PATH"));
}

TEST_CASE("a working directory that does not exist is an Error") {
  ProcessSpec spec;
  spec.argv = {"true"};
  spec.env = test_env();
  spec.working_dir = "/kinda-no-such-dir-" + random_suffix();

  auto pid = spawn(spec);
  REQUIRE_FALSE(pid.ok());
  CHECK_THAT(pid.error().message,
             Catch::Contains(spec.working_dir) && Catch::Contains("No such file or directory"));
}

TEST_CASE("joining the namespaces of a sandbox holder that is gone is an Error") {
  ProcessSpec finished;
  finished.argv = {"true"};
  finished.env = test_env();
  auto gone = spawn(finished);
  REQUIRE(gone.ok());
  reap(*gone);

  ProcessSpec spec;
  spec.argv = {"true"};
  spec.env = test_env();
  spec.join_namespaces_of = *gone;
  auto pid = spawn(spec);
  REQUIRE_FALSE(pid.ok());
  CHECK_THAT(pid.error().message, Catch::Contains("sandbox of pid " + std::to_string(*gone)));
}

TEST_CASE("a spawned process leads its own session and process group") {
  ProcessSpec spec;
  spec.argv = {"sleep", "300"};
  spec.env = test_env();
  auto pid = spawn(spec);
  REQUIRE(pid.ok());
  CHECK(::getpgid(*pid) == *pid);
  CHECK(::getsid(*pid) == *pid);
  signal_group(*pid, SIGKILL);
  reap(*pid);
}

TEST_CASE("run_foreground returns the exit code, or 128+signal when the command is killed") {
  ProcessSpec spec;
  spec.env = test_env();
  spec.argv = {"sh", "-c", "exit 7"};
  auto exited = run_foreground(spec);
  REQUIRE(exited.ok());
  CHECK(*exited == 7);

  spec.argv = {"sh", "-c", "kill -KILL $$"};
  auto killed = run_foreground(spec);
  REQUIRE(killed.ok());
  CHECK(*killed == 128 + SIGKILL);

  spec.argv = {"kinda-no-such-program"};
  CHECK_FALSE(run_foreground(spec).ok());
}

TEST_CASE("a process is known by its start time, so a recycled pid is not mistaken for it") {
  CHECK(process_start_time(::getpid()).has_value());

  ProcessSpec spec;
  spec.argv = {"sleep", "300"};
  spec.env = test_env();
  auto pid = spawn(spec);
  REQUIRE(pid.ok());
  auto started = process_start_time(*pid);
  REQUIRE(started.has_value());
  CHECK(same_process(*pid, *started));
  CHECK_FALSE(same_process(*pid, *started + 1));

  ::kill(*pid, SIGKILL);
  reap(*pid);
  CHECK_FALSE(process_start_time(*pid).has_value());
  CHECK_FALSE(same_process(*pid, *started));
}

TEST_CASE("isolation modes are named for kinda status, and root gets namespaces") {
  CHECK(std::string(to_string(Isolation::Namespaces)) == "namespaces");
  CHECK(std::string(to_string(Isolation::None)) == "none");
  if (::geteuid() != 0) {
    WARN("not root: skipping the namespace probe");
    return;
  }
  CHECK(detect_isolation() == Isolation::Namespaces);
}
