// The daemon's view of an HTTP exchange, free of Beast types so routes and handlers stay plain
// functions: a parsed Request in, either a whole Response or a long-lived chunked Stream out.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::daemon {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // decoded path without the query string
  std::map<std::string, std::string> query;
  std::string content_type;
  std::string accept;  // the Accept header: kubectl asks for Tables and aggregated discovery here
  std::string body;

  std::string param(const std::string& key, const std::string& fallback = "") const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
  }
  // True as the API server's strconv.ParseBool reads it: the Python client sends "True".
  bool flag(const std::string& key) const {
    auto v = param(key);
    return v == "true" || v == "1" || v == "True" || v == "TRUE" || v == "t" || v == "T";
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers = {};  // more, e.g. Warning

  static Response json(const nlohmann::json& body, int status = 200) {
    // Strings may carry a client's bytes (a name from the URL in an error message) that are not
    // UTF-8; they are replaced (U+FFFD) rather than making the answer itself fail.
    return Response{status, "application/json",
                    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
  }
  static Response error(const Error& e) { return json(e.to_status(), e.code); }
};

// A chunked response that stays open (watches, followed logs). Writes are queued and sent in
// order; closed() turns true once the client has gone, and on_close runs then.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual void write(std::string chunk) = 0;
  virtual void finish() = 0;
  virtual bool closed() const = 0;
  virtual void on_close(std::function<void()> callback) = 0;
};

// A route either answers at once or takes over the connection as a stream.
struct Reply {
  Response response;
  std::function<void(std::shared_ptr<Stream>)> stream;  // set for streaming replies
  std::string stream_content_type = "application/json";
};

using Handler = std::function<Reply(const Request&)>;

}  // namespace kinda::daemon
