// Shared by the tests that play a user without root through runtime_unprivileged_helper: nobody
// when the tests run as root, else the user running them.
#pragma once

#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "runtime/run_async.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

namespace kinda::runtime::testing {

constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

inline uid_t unprivileged_uid() {
  return ::geteuid() == 0 ? kNobody : ::geteuid();
}

// The helper's arguments that make it that user.
inline std::vector<std::string> as_unprivileged() {
  if (::geteuid() != 0) return {};
  return {"--as=" + std::to_string(kNobody) + ":" + std::to_string(kNogroup)};
}

// Runs the helper as that user with the given arguments and returns what it printed.
inline RunResult run_unprivileged(const std::vector<std::string>& args) {
  boost::asio::io_context io;
  ProcessSpec spec;
  spec.argv = {KINDA_RUNTIME_UNPRIVILEGED_HELPER};
  for (const auto& arg : as_unprivileged()) spec.argv.push_back(arg);
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = test_env();
  std::optional<Result<RunResult>> result;
  run_async(io, spec, std::chrono::seconds(10),
            [&](Result<RunResult> r) { result = std::move(r); });
  io.run_for(std::chrono::seconds(30));
  REQUIRE(result.has_value());
  REQUIRE(result->ok());
  return result->value();
}

// to_string(probe_isolation()) for that user, with its newline.
inline std::string unprivileged_isolation() {
  RunResult probed = run_unprivileged({"probe"});
  REQUIRE(probed.exit_code == 0);
  return probed.output;
}

}  // namespace kinda::runtime::testing
