// Relays the bytes of one proxied TCP connection both ways until both sides have finished. An end
// of stream from one side becomes shutdown(SHUT_WR) towards the other (half-close passes
// through); a reset or error on either side resets the other (SO_LINGER 0), as the failing side
// would have done to a direct peer. The relay owns itself through its pending operations, so it
// outlives the listener that accepted it: closing a Service's listener ends no connection.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/relay_channel.hpp"

namespace kinda::proxy {

struct RelayOptions {
  RelayMode mode = RelayMode::Copy;
  size_t channel_bytes = 256 * 1024;  // per direction: the pipe's size, or the copy buffer's most
};

// Starts relaying between two connected sockets on their executor.
void start_tcp_relay(boost::asio::ip::tcp::socket client, boost::asio::ip::tcp::socket backend,
                     const RelayOptions& options);

}  // namespace kinda::proxy
