#include "proxy/socket_options.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

namespace kinda::proxy {

namespace asio = boost::asio;

boost::system::error_code open_from_client_address(asio::ip::tcp::socket& socket,
                                                   const asio::ip::address& client) {
  boost::system::error_code ec;
  socket.open(asio::ip::tcp::v4(), ec);
  if (ec) return ec;
  int on = 1;
  // Best effort: without it (kernels before 4.2) bind picks the port, which still works.
  (void)::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
  socket.bind({client, 0}, ec);
  return ec;
}

boost::system::error_code open_from_client_address(asio::ip::udp::socket& socket,
                                                   const asio::ip::address& client) {
  boost::system::error_code ec;
  socket.open(asio::ip::udp::v4(), ec);
  if (!ec) socket.bind({client, 0}, ec);
  return ec;
}

void close_with_reset(asio::ip::tcp::socket& socket) {
  if (!socket.is_open()) return;
  boost::system::error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
}

void forward_without_delay(asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
}

}  // namespace kinda::proxy
