#include "dns/udp_listener.hpp"

#include <boost/asio/buffer.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "dns/answer_sources.hpp"
#include "dns/outside_zone.hpp"
#include "dns/udp_batch.hpp"
#include "dns/wire.hpp"
#include "dns/zone_index.hpp"

namespace kinda::dns {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {
constexpr int kBatchesPerWakeup = 4;

// The i-th datagram's sender as Asio's endpoint, for the replies that take Asio's slower path.
udp::endpoint sender_of(const UdpBatch& batch, size_t i) {
  udp::endpoint peer;
  std::memcpy(peer.data(), &batch.sender(i), batch.sender_length(i));
  peer.resize(batch.sender_length(i));
  return peer;
}
}  // namespace

UdpListener::UdpListener(asio::io_context& io, const AnswerSources& sources)
    : socket_(io), sources_(sources), batch_(std::make_unique<UdpBatch>()) {}

UdpListener::~UdpListener() = default;

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
  wait();
}

void UdpListener::stop() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpListener::wait() {
  socket_.async_wait(
      udp::socket::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void UdpListener::on_readable(const boost::system::error_code& ec) {
  // After stop() the index may be gone, so a completion queued before the close does nothing.
  if (!socket_.is_open() || ec == asio::error::operation_aborted) return;
  // A few batches per wakeup, then back to the event loop so TCP clients get their turn.
  for (int round = 0; round < kBatchesPerWakeup; ++round) {
    const int received = batch_->receive(socket_.native_handle());
    // ICMP errors from earlier replies surface here on Linux; they must not stop the listener.
    if (received == -ECONNREFUSED) continue;
    if (received < 0) spdlog::debug("DNS UDP receive failed: {}", std::strerror(-received));
    if (received <= 0) break;
    answer_batch(static_cast<size_t>(received));
    if (static_cast<size_t>(received) < kUdpBatch) break;
  }
  wait();
}

void UdpListener::answer_batch(size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const std::span<const uint8_t> query = batch_->query(i);
    if (query.empty()) continue;
    std::vector<uint8_t> answer = sources_.zone.answer(query.data(), query.size(), kClassicUdpSize);
    if (sources_.forwarder && refused_as_outside_zone(sources_.zone, query, answer)) {
      const udp::endpoint peer = sender_of(*batch_, i);
      sources_.forwarder->forward(query, kClassicUdpSize,
                                  [self = shared_from_this(), peer](std::vector<uint8_t> reply) {
                                    self->send(std::move(reply), peer);
                                  });
    } else {
      batch_->reply(i, std::move(answer));
    }
  }
  // What the kernel would not take now (a full send buffer) goes out when it can.
  for (auto& [i, reply] : batch_->send(socket_.native_handle())) {
    send(std::move(reply), sender_of(*batch_, i));
  }
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
