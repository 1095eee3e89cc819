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

namespace kinda::apiserver {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // decoded path without the query string
  std::map<std::string, std::string> query;
  std::string content_type;
  std::string accept;  // the Accept header: kubectl asks for Tables and aggregated discovery here
  std::string body;
  // Every query parameter in order, repeated keys included (exec's command=…&command=…).
  std::vector<std::pair<std::string, std::string>> query_list = {};
  // A WebSocket upgrade (pods/exec): the subprotocols it offers, in its order.
  bool websocket = false;
  std::vector<std::string> websocket_protocols = {};

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

// The server's end of an upgraded WebSocket connection: binary messages both ways. Sends are
// queued and go out in order; on_close runs once, when the peer closes or the connection fails.
class MessageChannel {
 public:
  virtual ~MessageChannel() = default;
  virtual void send(std::string message) = 0;
  virtual void close() = 0;  // a normal closure, after what is queued
  virtual bool closed() const = 0;
  virtual void on_message(std::function<void(std::string)> callback) = 0;
  virtual void on_close(std::function<void()> callback) = 0;
};

// A route either answers at once, takes over the connection as a stream, or (for a WebSocket
// upgrade request) accepts the upgrade with a subprotocol and takes the channel.
struct Reply {
  Response response;
  std::function<void(std::shared_ptr<Stream>)> stream;  // set for streaming replies
  std::string stream_content_type = "application/json";
  std::function<void(std::shared_ptr<MessageChannel>)> websocket = nullptr;  // accepts an upgrade
  std::string websocket_protocol = {};
};

using Handler = std::function<Reply(const Request&)>;

}  // namespace kinda::apiserver
