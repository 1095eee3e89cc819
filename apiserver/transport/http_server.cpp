#include "apiserver/transport/http_server.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "apiserver/transport/sessions.hpp"
#include "runtime/socket_path.hpp"

namespace kinda::apiserver {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using local = asio::local::stream_protocol;
using tcp = asio::ip::tcp;

// When accept fails for want of descriptors the connection stays queued, so accepting again at
// once would fail again at once: wait a little instead of spinning a core until one frees up.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

bool out_of_resources(boost::system::error_code ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec.value() == ENFILE;
}

// Accepts connections on one listening socket for as long as it is open, handing each to
// `on_socket`.
template <class Protocol>
class AcceptLoop {
 public:
  using Socket = typename Protocol::socket;
  AcceptLoop(asio::io_context& io, std::function<void(Socket)> on_socket)
      : acceptor(io), retry_(io), on_socket_(std::move(on_socket)) {}

  void accept() {
    acceptor.async_accept([this](boost::system::error_code ec, Socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        failing_ = false;
        on_socket_(std::move(socket));
      } else if (out_of_resources(ec)) {
        if (!failing_) spdlog::warn("api: cannot accept connections: {}", ec.message());
        failing_ = true;
        retry_.expires_after(kAcceptRetryDelay);
        retry_.async_wait([this](boost::system::error_code wait_ec) {
          if (!wait_ec) accept();
        });
        return;
      }
      accept();
    });
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    retry_.cancel();
  }

  typename Protocol::acceptor acceptor;

 private:
  asio::steady_timer retry_;
  bool failing_ = false;
  std::function<void(Socket)> on_socket_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(asio::io_context& io, Handler h)
      : handler(std::move(h)),
        unix_loop(
            io,
            [this](local::socket socket) { serve_unix_connection(std::move(socket), handler); }),
        tls_loop(io, [this](tcp::socket socket) {
          boost::system::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);  // watch events go out at once
          serve_tls_connection(std::move(socket), *tls, handler, token);
        }) {}

  Handler handler;
  AcceptLoop<local> unix_loop;
  AcceptLoop<tcp> tls_loop;
  std::optional<ssl::context> tls;
  std::string token;
};

HttpServer::HttpServer(asio::io_context& io, Handler handler)
    : impl_(std::make_unique<Impl>(io, std::move(handler))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::listen_unix(const std::filesystem::path& socket_path) {
  std::error_code fs_ec;
  std::filesystem::create_directories(socket_path.parent_path(), fs_ec);
  std::filesystem::remove(socket_path, fs_ec);
  // The umask makes the socket 0600 from its first instant, so no other user can slip in.
  mode_t old_mask = ::umask(0177);
  boost::system::error_code ec;
  auto& acceptor = impl_->unix_loop.acceptor;
  acceptor.open(local(), ec);
  runtime::SocketPath address(socket_path.string());
  if (!ec) acceptor.bind(local::endpoint(address.address()), ec);
  ::umask(old_mask);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error::internal("cannot listen on " + socket_path.string() + ": " + ec.message());
  ::chmod(socket_path.c_str(), 0600);
  impl_->unix_loop.accept();
  return Ok{};
}

Result<uint16_t> HttpServer::listen_tls(const TlsListenOptions& options) {
  const std::string where = options.host + " port " + std::to_string(options.port);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) return Error::bad_request("cannot listen on " + where + ": " + ec.message());
  auto& tls = impl_->tls.emplace(ssl::context::tls_server);
  // TLS 1.2 and 1.3 only, as the API server allows.
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                  ssl::context::single_dh_use);
  tls.use_certificate_chain_file(options.cert_file.string(), ec);
  if (!ec) tls.use_private_key_file(options.key_file.string(), ssl::context::pem, ec);
  if (ec) return Error::internal("cannot load the API's TLS certificate: " + ec.message());
  impl_->token = options.token;

  auto& acceptor = impl_->tls_loop.acceptor;
  tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && address.is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return Error::internal("cannot listen on " + where + ": " + ec.message());
  }
  const uint16_t port = acceptor.local_endpoint(ec).port();
  impl_->tls_loop.accept();
  return port;
}

void HttpServer::stop() {
  impl_->unix_loop.stop();
  impl_->tls_loop.stop();
}

}  // namespace kinda::apiserver
