// Shared by the tests that play the user nobody through runtime_unprivileged_helper.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "runtime/run_async.hpp"
#include "tests/unit/runtime_test_support.hpp"

namespace kinda::runtime::testing {

inline const std::string kAsNobody = "--as=65534:65534";

// Runs the helper as nobody with the given arguments and returns what it printed.
inline RunResult run_as_nobody(const std::vector<std::string>& args) {
  boost::asio::io_context io;
  ProcessSpec spec;
  spec.argv = {KINDA_RUNTIME_UNPRIVILEGED_HELPER, kAsNobody};
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

// to_string(probe_isolation()) for nobody, with its newline.
inline std::string isolation_for_nobody() {
  RunResult probed = run_as_nobody({"probe"});
  REQUIRE(probed.exit_code == 0);
  return probed.output;
}

}  // namespace kinda::runtime::testing
