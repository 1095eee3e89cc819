// The API's HTTP/1.1 server: always on a Unix socket (mode 0600, owner only, no token), and
// optionally on a loopback TCP port with TLS, where every request must carry the cluster's bearer
// token (for kubectl and client libraries). Both serve the same Handler with the same sessions
// (apiserver/transport/http_session.hpp): whole replies, chunked streams, deadlines and size limits
// alike.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "api/error.hpp"
#include "apiserver/transport/http_types.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::apiserver {

struct TlsListenOptions {
  std::string host;  // a loopback IP literal (checked by parse_listen_address)
  uint16_t port = 0;
  std::filesystem::path cert_file;  // PEM server certificate
  std::filesystem::path key_file;   // PEM private key
  std::string token;                // the bearer token every request must carry
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Handler handler);
  ~HttpServer();
  // Binds the socket (replacing a stale file) with mode 0600 and starts accepting.
  Status listen_unix(const std::filesystem::path& socket_path);
  // Binds host:port (0: any free port) and starts accepting TLS; returns the bound port.
  Result<uint16_t> listen_tls(const TlsListenOptions& options);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::apiserver
