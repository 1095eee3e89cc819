#include "proxy/tcp_relay.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <memory>

#include <boost/asio/post.hpp>

#include "proxy/socket_options.hpp"

namespace kinda::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// One fill-and-drain round per pass at most this many times before yielding, so one fast stream
// cannot keep the proxy thread from every other connection.
constexpr int kRoundsBeforeYield = 16;

class TcpRelay : public std::enable_shared_from_this<TcpRelay> {
 public:
  TcpRelay(tcp::socket client, tcp::socket backend, const RelayOptions& options)
      : client_(std::move(client)),
        backend_(std::move(backend)),
        upstream_{client_, backend_, make_relay_channel(options.mode, options.channel_bytes)},
        downstream_{backend_, client_, make_relay_channel(options.mode, options.channel_bytes)} {}

  void start() {
    boost::system::error_code ec;
    client_.non_blocking(true, ec);
    backend_.non_blocking(true, ec);
    pump(upstream_);
    pump(downstream_);
  }

 private:
  struct Direction {
    tcp::socket& from;
    tcp::socket& to;
    std::unique_ptr<RelayChannel> channel;
    bool end_of_stream = false;
    bool done = false;
  };

  void pump(Direction& d) {
    if (closed_) return;
    for (int round = 0; round < kRoundsBeforeYield; ++round) {
      if (d.channel->pending() > 0) {
        if (d.channel->drain(d.to.native_handle()) < 0) {
          if (errno == EAGAIN || errno == EINTR) return wait(d, d.to, tcp::socket::wait_write);
          return reset_both();
        }
        continue;
      }
      if (d.end_of_stream) return finish(d);
      ssize_t n = d.channel->fill(d.from.native_handle());
      if (n == 0) {
        d.end_of_stream = true;
      } else if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return wait(d, d.from, tcp::socket::wait_read);
        return reset_both();
      }
    }
    asio::post(client_.get_executor(), [self = shared_from_this(), &d] { self->pump(d); });
  }

  void wait(Direction& d, tcp::socket& socket, tcp::socket::wait_type type) {
    socket.async_wait(type, [self = shared_from_this(), &d](boost::system::error_code ec) {
      if (ec) return self->reset_both();  // cancelled by the other direction's reset, or broken
      self->pump(d);
    });
  }

  // One direction has delivered everything: pass its end of stream on, and close both sockets
  // once the other direction has too.
  void finish(Direction& d) {
    d.done = true;
    ::shutdown(d.to.native_handle(), SHUT_WR);
    if (!upstream_.done || !downstream_.done) return;
    closed_ = true;
    boost::system::error_code ec;
    client_.close(ec);
    backend_.close(ec);
  }

  void reset_both() {
    if (closed_) return;
    closed_ = true;
    close_with_reset(client_);
    close_with_reset(backend_);
  }

  tcp::socket client_;
  tcp::socket backend_;
  Direction upstream_;    // client → backend
  Direction downstream_;  // backend → client
  bool closed_ = false;
};

}  // namespace

void start_tcp_relay(tcp::socket client, tcp::socket backend, const RelayOptions& options) {
  std::make_shared<TcpRelay>(std::move(client), std::move(backend), options)->start();
}

}  // namespace kinda::proxy
