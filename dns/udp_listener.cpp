#include "dns/udp_listener.hpp"

#include <boost/asio/buffer.hpp>

#include <spdlog/spdlog.h>

#include <vector>

#include "dns/wire.hpp"
#include "dns/zone_index.hpp"

namespace kinda::dns {

namespace asio = boost::asio;
using udp = asio::ip::udp;

UdpListener::UdpListener(asio::io_context& io, const ZoneIndex& index)
    : socket_(io), index_(index) {}

boost::system::error_code UdpListener::open(const udp::endpoint& endpoint) {
  boost::system::error_code ec;
  socket_.open(endpoint.protocol(), ec);
  if (!ec) socket_.bind(endpoint, ec);
  if (ec) socket_.close();
  return ec;
}

uint16_t UdpListener::port() const {
  return socket_.local_endpoint().port();
}

void UdpListener::start() {
  receive();
}

void UdpListener::stop() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpListener::receive() {
  socket_.async_receive_from(
      asio::buffer(buffer_), peer_,
      [self = shared_from_this()](const boost::system::error_code& ec, size_t size) {
        self->on_receive(ec, size);
      });
}

void UdpListener::on_receive(const boost::system::error_code& ec, size_t size) {
  // After stop() the index may be gone, so a completion queued before the close does nothing.
  if (!socket_.is_open() || ec == asio::error::operation_aborted) return;
  if (!ec) {
    auto response = std::make_shared<std::vector<uint8_t>>(
        index_.answer(buffer_.data(), size, kClassicUdpSize));
    if (!response->empty()) {
      // Datagram sends do not interleave, so several may be in flight while we receive again.
      socket_.async_send_to(asio::buffer(*response), peer_,
                            [response](const boost::system::error_code& send_ec, size_t) {
                              if (send_ec)
                                spdlog::debug("DNS UDP reply not sent: {}", send_ec.message());
                            });
    }
  } else {
    // ICMP errors from earlier replies surface here on Linux; they must not stop the listener.
    spdlog::debug("DNS UDP receive failed: {}", ec.message());
  }
  receive();
}

}  // namespace kinda::dns
