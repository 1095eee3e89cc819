#include "cli/session.hpp"

#include <iostream>

#include "storage/cluster_home.hpp"

namespace kinda::cli {

Result<Session> open_session(const GlobalOptions& global) {
  std::string name = storage::cluster_name(global.cluster);
  auto paths = storage::cluster_paths(name);
  if (!paths) return Error{0, "", paths.error().message + "; pick another --cluster", {}};
  return Session{ApiClient(paths->api_socket().string(), name),
                 global.ns.empty() ? "default" : global.ns, !global.ns.empty(),
                 global.all_namespaces};
}

std::string error_line(const Error& error) {
  if (is_transport_error(error)) return "error: " + error.message;
  if (error.reason.empty()) return "Error from server: " + error.message;
  return "Error from server (" + error.reason + "): " + error.message;
}

void exit_failure() {
  throw CLI::RuntimeError(1);
}

void fail(const std::string& line) {
  std::cerr << line << std::endl;
  exit_failure();
}

void fail(const Error& error) {
  fail(error_line(error));
}

}  // namespace kinda::cli
