#include "apiserver/transport/https_listener.hpp"

#include <spdlog/spdlog.h>

#include "apiserver/transport/api_token.hpp"
#include "apiserver/transport/private_file.hpp"
#include "apiserver/transport/tls_identity.hpp"

namespace kinda::apiserver {
namespace {

// The port recorded last time for the same host, or 0.
uint16_t last_port(const storage::ClusterPaths& paths, const ListenAddress& listen) {
  auto text = read_file(paths.api_listen_file());
  if (!text) return 0;
  while (!text->empty() && text->back() == '\n') text->pop_back();
  auto last = parse_listen_address(*text, "run/api.listen");
  return last && last->host == listen.host ? last->port : 0;
}

}  // namespace

Result<std::string> start_https_listener(HttpServer& http, const storage::ClusterPaths& paths,
                                         const ListenAddress& listen) {
  if (auto st = ensure_tls_identity(paths, listen.host); !st) return st.error();
  auto token = load_or_create_token(paths.api_token());
  if (!token) return token.error();
  TlsListenOptions options{listen.host, listen.port, paths.server_cert(), paths.server_key(),
                           *token};
  Result<uint16_t> port = Error::internal("not bound");
  if (listen.port == 0) {
    if (uint16_t previous = last_port(paths, listen)) {
      options.port = previous;
      port = http.listen_tls(options);
      if (!port) spdlog::info("api: port {} of the last start is taken; picking another", previous);
      options.port = 0;
    }
  }
  if (!port) port = http.listen_tls(options);
  if (!port) return port.error();
  const std::string bound = ListenAddress{listen.host, *port}.to_string();
  if (auto st = write_private_file(paths.api_listen_file(), bound + "\n"); !st)
    spdlog::warn("api: {}", st.error().message);
  spdlog::info("api: HTTPS with a bearer token on {} (kinda kubeconfig)", bound);
  return bound;
}

}  // namespace kinda::apiserver
