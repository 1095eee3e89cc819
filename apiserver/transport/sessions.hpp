// One connection's HTTP session, started for each accepted socket. Each kind of stream is
// instantiated in a file of its own (unix_session.cpp, tls_session.cpp): HttpSession and the
// WebSocket channel it may upgrade to are the heaviest templates in the tree, and compiled apart
// the two take a core each.
#pragma once

#include <utility>  // before Asio: Boost 1.74's headers use std::exchange without including it

#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>

#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

// A Unix-socket client: the socket's owner-only mode is its authentication.
void serve_unix_connection(boost::asio::local::stream_protocol::socket socket, Handler& handler);
// A loopback TCP client: TLS, then the bearer token on every request.
void serve_tls_connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls,
                          Handler& handler, const std::string& token);

}  // namespace kinda::apiserver
