// Runs a command to completion without blocking the io_context (exec probes, hooks): its output is
// captured through a pipe, and at the timeout its whole process group is killed with SIGKILL.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "api/error.hpp"
#include "runtime/process.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::runtime {

struct RunResult {
  int exit_code = -1;  // exit status, or 128+signal
  bool timed_out = false;
  std::string output;  // the first kMaxRunOutput bytes of stdout and stderr, interleaved
};

inline constexpr size_t kMaxRunOutput = 4096;

// spec.log_path is ignored and spec.new_session forced on (the group is what the timeout kills).
// done runs once, on the io_context, after the command has ended (or failed to start). If the
// io_context is destroyed first, the command's group is killed and done never runs.
void run_async(boost::asio::io_context& io, ProcessSpec spec, std::chrono::milliseconds timeout,
               std::function<void(Result<RunResult>)> done);

}  // namespace kinda::runtime
