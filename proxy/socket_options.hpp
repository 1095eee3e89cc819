// The socket settings that make a userspace proxy look like kube-proxy's DNAT to the pods on
// either side: a backend connection that leaves from the client's own address, and a reset
// (not a clean close) passed on when one side fails.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

namespace kinda::proxy {

// Opens `socket` and binds it to (client, 0), so the backend's getpeername() names the client
// pod. With IP_BIND_ADDRESS_NO_PORT the port is chosen at connect time for the whole 4-tuple, so
// thousands of connections from one client address do not run out of ports. Every 127/8 address
// is local on Linux, so this needs no privilege.
boost::system::error_code open_from_client_address(boost::asio::ip::tcp::socket& socket,
                                                   const boost::asio::ip::address& client);
boost::system::error_code open_from_client_address(boost::asio::ip::udp::socket& socket,
                                                   const boost::asio::ip::address& client);

// Closes with SO_LINGER 0, so the peer gets a RST, as it would from the side that failed.
void close_with_reset(boost::asio::ip::tcp::socket& socket);

// TCP_NODELAY: the proxy forwards what it reads at once; Nagle's wait belongs to the endpoints.
void forward_without_delay(boost::asio::ip::tcp::socket& socket);

}  // namespace kinda::proxy
