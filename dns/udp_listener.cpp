#include "dns/udp_listener.hpp"

#include <boost/asio/buffer.hpp>

#include <spdlog/spdlog.h>

#include <span>

#include "dns/answer_sources.hpp"
#include "dns/outside_zone.hpp"
#include "dns/wire.hpp"
#include "dns/zone_index.hpp"

namespace kinda::dns {

namespace asio = boost::asio;
using udp = asio::ip::udp;

UdpListener::UdpListener(asio::io_context& io, const AnswerSources& sources)
    : socket_(io), sources_(sources) {}

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
    const std::span<const uint8_t> query(buffer_.data(), size);
    std::vector<uint8_t> answer = sources_.zone.answer(query.data(), query.size(), kClassicUdpSize);
    if (sources_.forwarder && refused_as_outside_zone(sources_.zone, query, answer)) {
      sources_.forwarder->forward(
          query, kClassicUdpSize,
          [self = shared_from_this(), peer = peer_](std::vector<uint8_t> reply) {
            self->send(std::move(reply), peer);
          });
    } else {
      send(std::move(answer), peer_);
    }
  } else {
    // ICMP errors from earlier replies surface here on Linux; they must not stop the listener.
    spdlog::debug("DNS UDP receive failed: {}", ec.message());
  }
  receive();
}

void UdpListener::send(std::vector<uint8_t> reply, const udp::endpoint& peer) {
  if (reply.empty() || !socket_.is_open()) return;
  // Datagram sends do not interleave, so several may be in flight while we receive again.
  auto packet = std::make_shared<std::vector<uint8_t>>(std::move(reply));
  socket_.async_send_to(asio::buffer(*packet), peer,
                        [packet](const boost::system::error_code& send_ec, size_t) {
                          if (send_ec)
                            spdlog::debug("DNS UDP reply not sent: {}", send_ec.message());
                        });
}

}  // namespace kinda::dns
