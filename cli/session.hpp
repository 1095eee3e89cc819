// What every command starts from: a client for the chosen cluster's daemon and the namespace to
// work in; and how commands report failure the way kubectl does ("Error from server (NotFound):
// …" for the server's errors, "error: …" for the rest) before exiting with status 1.
#pragma once

#include <string>

#include "api/error.hpp"
#include "cli/api_client.hpp"
#include "cli/commands.hpp"

namespace kinda::cli {

struct Session {
  ApiClient client;
  std::string ns;            // -n, else "default"
  bool ns_explicit = false;  // -n was given
  bool all_namespaces = false;
};

Result<Session> open_session(const GlobalOptions& global);

// The line kubectl prints for an error.
std::string error_line(const Error& error);
// Prints `line` to stderr and ends the command with exit status 1.
[[noreturn]] void fail(const std::string& line);
[[noreturn]] void fail(const Error& error);
// Ends the command with exit status 1 after its errors were printed.
[[noreturn]] void exit_failure();

}  // namespace kinda::cli
