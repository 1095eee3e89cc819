#include "apiserver/transport/sessions.hpp"

#include <memory>

#include <boost/asio/ssl/stream.hpp>

#include "apiserver/transport/http_session.hpp"

namespace kinda::apiserver {

void serve_tls_connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls,
                          Handler& handler, const std::string& token) {
  using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;
  std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), tls), handler, &token)
      ->start();
}

}  // namespace kinda::apiserver
