#include "dns/tcp_session.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "dns/answer_sources.hpp"
#include "dns/outside_zone.hpp"
#include "dns/zone_index.hpp"

namespace kinda::dns {

namespace asio = boost::asio;

namespace {
constexpr size_t kMaxTcpMessage = 65535;
// Forwarded queries one connection may have waiting; past it we stop reading until one returns,
// so a single client cannot take the forwarder's whole budget.
constexpr size_t kMaxForwardedPerConnection = 64;
}  // namespace

TcpSession::TcpSession(asio::ip::tcp::socket socket, const AnswerSources& sources,
                       std::chrono::milliseconds idle_timeout)
    : socket_(std::move(socket)),
      idle_timer_(socket_.get_executor()),
      sources_(sources),
      idle_timeout_(idle_timeout) {}

void TcpSession::start() {
  read_next();
}

void TcpSession::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  idle_timer_.cancel();
}

// Reads the next query once earlier replies are written, as a client expects answers in turn;
// forwarded queries do not hold reading up unless too many wait.
void TcpSession::read_next() {
  if (reading_ || !outbox_.empty() || forwarded_ >= kMaxForwardedPerConnection ||
      !socket_.is_open())
    return;
  reading_ = true;
  read_length();
}

void TcpSession::read_length() {
  idle_timer_.expires_after(idle_timeout_);
  idle_timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_idle(ec); });
  asio::async_read(socket_, asio::buffer(length_),
                   [self = shared_from_this()](const boost::system::error_code& ec, size_t size) {
                     self->on_length(ec, size);
                   });
}

void TcpSession::on_length(const boost::system::error_code& ec, size_t) {
  if (ec || !socket_.is_open()) return close();
  const size_t length = static_cast<size_t>(length_[0]) << 8 | length_[1];
  if (length == 0) return close();
  query_.resize(length);
  asio::async_read(socket_, asio::buffer(query_),
                   [self = shared_from_this()](const boost::system::error_code& read_ec,
                                               size_t size) { self->on_query(read_ec, size); });
}

void TcpSession::on_query(const boost::system::error_code& ec, size_t) {
  reading_ = false;
  if (ec || !socket_.is_open()) return close();
  std::vector<uint8_t> answer = sources_.zone.answer(query_.data(), query_.size(), kMaxTcpMessage);
  if (answer.empty()) return close();  // not a query we can answer: the stream may be garbage
  if (sources_.forwarder && refused_as_outside_zone(sources_.zone, query_, answer))
    forward();
  else
    send(std::move(answer));
  read_next();
}

void TcpSession::forward() {
  ++forwarded_;
  sources_.forwarder->forward(query_, kMaxTcpMessage,
                              [self = shared_from_this()](std::vector<uint8_t> reply) {
                                self->on_forwarded(std::move(reply));
                              });
}

void TcpSession::on_forwarded(std::vector<uint8_t> reply) {
  --forwarded_;
  if (!socket_.is_open()) return;
  send(std::move(reply));
  read_next();
}

void TcpSession::send(std::vector<uint8_t> reply) {
  if (reply.empty()) return;
  const std::array<uint8_t, 2> length = {static_cast<uint8_t>(reply.size() >> 8),
                                         static_cast<uint8_t>(reply.size())};
  outbox_.push_back({length, std::move(reply)});
  if (outbox_.size() == 1) write_front();
}

void TcpSession::write_front() {
  const Frame& frame = outbox_.front();
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(frame.length),
                                                     asio::buffer(frame.message)};
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](const boost::system::error_code& write_ec,
                                                size_t size) { self->on_written(write_ec, size); });
}

void TcpSession::on_written(const boost::system::error_code& ec, size_t) {
  outbox_.pop_front();
  if (ec || !socket_.is_open()) return close();
  if (!outbox_.empty()) return write_front();
  read_next();
}

void TcpSession::on_idle(const boost::system::error_code& ec) {
  // A wait cancelled by a fresh read_length() reports operation_aborted; one that fired just as
  // the timer was re-armed sees an expiry still in the future.
  if (ec || idle_timer_.expiry() > std::chrono::steady_clock::now()) return;
  if (forwarded_ >
      0) {  // the client waits for us, not we for it; the forwarder's timeout bounds it
    idle_timer_.expires_after(idle_timeout_);
    idle_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& wait_ec) {
      self->on_idle(wait_ec);
    });
    return;
  }
  close();
}

}  // namespace kinda::dns
