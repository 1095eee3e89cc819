// HTTP/1.1 server on a Unix socket (mode 0600, owner only) for the Kubernetes-shaped API.
// One Session per connection owns its buffers; requests are handed to a Handler, and streaming
// replies (watch, log follow) keep the connection as a chunked response until either side ends.
#pragma once

#include <filesystem>
#include <memory>

#include "api/error.hpp"
#include "daemon/http_types.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::daemon {

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Handler handler);
  ~HttpServer();
  // Binds the socket (replacing a stale file) with mode 0600 and starts accepting.
  Status listen_unix(const std::filesystem::path& socket_path);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::daemon
