#include "apiserver/transport/sessions.hpp"

#include <memory>

#include "apiserver/transport/http_session.hpp"

namespace kinda::apiserver {

void serve_unix_connection(boost::asio::local::stream_protocol::socket socket, Handler& handler) {
  using Socket = boost::asio::local::stream_protocol::socket;
  std::make_shared<HttpSession<Socket>>(std::move(socket), handler, nullptr)->start();
}

}  // namespace kinda::apiserver
