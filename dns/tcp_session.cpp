#include "dns/tcp_session.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "dns/zone_index.hpp"

namespace kinda::dns {

namespace asio = boost::asio;

namespace {
constexpr size_t kMaxTcpMessage = 65535;
}

TcpSession::TcpSession(asio::ip::tcp::socket socket, const ZoneIndex& index,
                       std::chrono::milliseconds idle_timeout)
    : socket_(std::move(socket)),
      idle_timer_(socket_.get_executor()),
      index_(index),
      idle_timeout_(idle_timeout) {}

void TcpSession::start() {
  read_length();
}

void TcpSession::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  idle_timer_.cancel();
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
  if (ec || !socket_.is_open()) return close();
  std::vector<uint8_t> answer = index_.answer(query_.data(), query_.size(), kMaxTcpMessage);
  if (answer.empty()) return close();  // not a query we can answer: the stream may be garbage
  response_.clear();
  response_.push_back(static_cast<uint8_t>(answer.size() >> 8));
  response_.push_back(static_cast<uint8_t>(answer.size()));
  response_.insert(response_.end(), answer.begin(), answer.end());
  asio::async_write(socket_, asio::buffer(response_),
                    [self = shared_from_this()](const boost::system::error_code& write_ec,
                                                size_t size) { self->on_written(write_ec, size); });
}

void TcpSession::on_written(const boost::system::error_code& ec, size_t) {
  if (ec || !socket_.is_open()) return close();
  read_length();
}

void TcpSession::on_idle(const boost::system::error_code& ec) {
  // A wait cancelled by a fresh read_length() reports operation_aborted; one that fired just as
  // the timer was re-armed sees an expiry still in the future.
  if (ec || idle_timer_.expiry() > std::chrono::steady_clock::now()) return;
  close();
}

}  // namespace kinda::dns
