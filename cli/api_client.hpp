// Talks HTTP/1.1 to a cluster's daemon over its Unix socket. Replies are JSON; a non-2xx reply
// becomes the Error its Kubernetes Status describes, and an unreachable daemon an Error saying
// how to start it. Transport errors carry code 0 so callers can tell them from server errors.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::cli {

using Query = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view value);
// `path?k=v&…` with values encoded; parameters with empty values are left out.
std::string with_query(const std::string& path, const Query& query);

// True for errors that never reached a server (connection refused, timeout).
bool is_transport_error(const Error& error);
bool is_timeout(const Error& error);

class ApiClient {
 public:
  // Called with each line of a streamed body, without its newline; return false to stop.
  using LineHandler = std::function<bool(std::string_view line)>;

  ApiClient(std::string socket_path, std::string cluster_name);

  Result<nlohmann::json> get(const std::string& path) const;
  // The reply's JSON text as the server sent it (for output that passes it through).
  Result<std::string> get_text(const std::string& path) const;
  // GET asking, as kubectl does, for the server's meta.k8s.io/v1 Table, else plain JSON: the
  // reply's kind says which came.
  Result<nlohmann::json> get_table(const std::string& path) const;
  Result<nlohmann::json> post(const std::string& path, const nlohmann::json& body) const;
  Result<nlohmann::json> put(const std::string& path, const nlohmann::json& body) const;
  Result<nlohmann::json> patch(
      const std::string& path, const nlohmann::json& body,
      const std::string& content_type = "application/merge-patch+json") const;
  Result<nlohmann::json> del(const std::string& path) const;

  // GETs a streamed body (watch events, logs) and hands it over line by line until the server
  // ends it, the handler returns false, or `timeout` (when non-zero) passes; the last two are Ok,
  // except a timeout is an Error for which is_timeout() holds.
  Status stream(const std::string& path, const LineHandler& on_line,
                std::chrono::milliseconds timeout = std::chrono::milliseconds::zero()) const;

  const std::string& socket_path() const { return socket_path_; }

 private:
  Result<nlohmann::json> request(const char* method, const std::string& path,
                                 const nlohmann::json* body, const std::string& content_type) const;
  Result<std::string> request_text(const char* method, const std::string& path,
                                   const nlohmann::json* body, const std::string& content_type,
                                   const char* accept = "application/json") const;

  std::string socket_path_;
  std::string cluster_name_;
};

}  // namespace kinda::cli
