#include <utility>

#include <signal.h>

#include <chrono>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "runtime/exit_watcher.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/run_async.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;
using namespace std::chrono_literals;

namespace {

kinda::Result<RunResult> run(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = test_env();
  std::optional<kinda::Result<RunResult>> result;
  run_async(io, spec, timeout, [&](kinda::Result<RunResult> r) { result = std::move(r); });
  io.run_for(30s);
  REQUIRE(result.has_value());
  return std::move(*result);
}

}  // namespace

TEST_CASE("run_async reports a successful command's exit code and output") {
  auto result = run({"sh", "-c", "echo hello; echo world >&2"}, 10s);
  REQUIRE(result.ok());
  CHECK(result->exit_code == 0);
  CHECK_FALSE(result->timed_out);
  CHECK(result->output == "hello\nworld\n");
}

TEST_CASE("run_async reports a failing command's exit code and its error output") {
  auto result = run({"sh", "-c", "echo oops >&2; exit 3"}, 10s);
  REQUIRE(result.ok());
  CHECK(result->exit_code == 3);
  CHECK_FALSE(result->timed_out);
  CHECK(result->output == "oops\n");
}

TEST_CASE("run_async keeps the first 4 KiB of output and never stalls a chatty command") {
  auto result = run({"head", "-c", "1000000", "/dev/zero"}, 10s);
  REQUIRE(result.ok());
  CHECK(result->exit_code == 0);
  CHECK(result->output.size() == kMaxRunOutput);
}

TEST_CASE("run_async kills the whole process group at the timeout, grandchildren included") {
  auto result = run({"sh", "-c", "sleep 300 & echo $!; wait"}, 200ms);
  REQUIRE(result.ok());
  CHECK(result->timed_out);
  CHECK(result->exit_code == 128 + SIGKILL);

  pid_t grandchild = std::stoi(result->output);
  boost::asio::io_context io;
  bool ended = false;
  ExitWatcher watcher(io, grandchild, [&](std::optional<int>) { ended = true; });
  io.run_for(10s);
  CHECK(ended);
}

TEST_CASE("run_async reports a command that cannot start as an Error") {
  auto result = run({"kinda-no-such-program"}, 10s);
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error().message, Catch::Contains("kinda-no-such-program"));
}
