#include "proxy/udp_flow.hpp"

#include <spdlog/spdlog.h>

#include "proxy/socket_options.hpp"

namespace kinda::proxy {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {
// At most this many replies per wake-up, so a flooding endpoint leaves the thread to the others.
constexpr int kRepliesPerWakeUp = 64;
}  // namespace

UdpFlow::UdpFlow(udp::socket socket, udp::endpoint client, Backend backend,
                 std::shared_ptr<udp::socket> service_socket,
                 std::shared_ptr<std::vector<char>> buffer)
    : socket_(std::move(socket)),
      client_(std::move(client)),
      backend_(std::move(backend)),
      service_socket_(std::move(service_socket)),
      buffer_(std::move(buffer)) {}

boost::system::error_code UdpFlow::open_socket(udp::socket& socket, const udp::endpoint& client,
                                               const Backend& backend) {
  auto ec = open_from_client_address(socket, client.address());
  if (ec) return ec;
  socket.non_blocking(true, ec);
  auto address = asio::ip::make_address_v4(backend.ip, ec);
  if (!ec) socket.connect({address, backend.port}, ec);
  return ec;
}

void UdpFlow::start() {
  wait_for_replies();
}

void UdpFlow::send(const char* data, size_t bytes) {
  last_active_ = Clock::now();
  boost::system::error_code ec;
  socket_.send(asio::buffer(data, bytes), 0, ec);
  // A full buffer drops the datagram, as a full link would. A refusal (the endpoint's ICMP for an
  // earlier datagram) ends the flow, so the client's next datagram picks an endpoint afresh.
  if (ec == asio::error::connection_refused) close();
}

void UdpFlow::close() {
  boost::system::error_code ec;
  socket_.close(ec);
}

void UdpFlow::wait_for_replies() {
  socket_.async_wait(
      udp::socket::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->closed()) return;
        for (int i = 0; i < kRepliesPerWakeUp; ++i) {
          auto& buffer = *self->buffer_;
          size_t n = self->socket_.receive(asio::buffer(buffer), 0, ec);
          if (ec == asio::error::would_block) break;
          if (ec) {
            spdlog::debug("proxy: UDP flow {} → {} ended: {}", self->client_.address().to_string(),
                          self->backend_.to_string(), ec.message());
            return self->close();
          }
          self->last_active_ = Clock::now();
          if (self->service_socket_->is_open())
            self->service_socket_->send_to(asio::buffer(buffer.data(), n), self->client_, 0, ec);
        }
        self->wait_for_replies();
      });
}

}  // namespace kinda::proxy
