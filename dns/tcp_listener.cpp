#include "dns/tcp_listener.hpp"

#include <spdlog/spdlog.h>

#include "dns/tcp_session.hpp"

namespace kinda::dns {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr size_t kMaxConnections = 256;
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
}  // namespace

TcpListener::TcpListener(asio::io_context& io, const AnswerSources& sources,
                         std::chrono::milliseconds idle_timeout)
    : acceptor_(io), retry_timer_(io), sources_(sources), idle_timeout_(idle_timeout) {}

boost::system::error_code TcpListener::open(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  // Lets a restarted daemon rebind while old connections linger in TIME_WAIT; on Linux it does
  // not let two listeners share the port.
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) acceptor_.close();
  return ec;
}

void TcpListener::start() {
  accept();
}

void TcpListener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
  for (const std::weak_ptr<TcpSession>& weak : sessions_) {
    if (const auto session = weak.lock()) session->close();
  }
  sessions_.clear();
}

void TcpListener::accept() {
  acceptor_.async_accept(
      [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void TcpListener::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (!acceptor_.is_open() || ec == asio::error::operation_aborted) return;
  if (ec) {
    // EMFILE and friends pass; retry after a pause rather than go deaf or spin.
    spdlog::warn("DNS TCP accept failed: {}", ec.message());
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) self->accept();
    });
    return;
  }
  std::erase_if(sessions_, [](const std::weak_ptr<TcpSession>& weak) { return weak.expired(); });
  if (sessions_.size() >= kMaxConnections) {
    spdlog::warn("DNS TCP connection refused: {} connections already open", kMaxConnections);
  } else {
    auto session = std::make_shared<TcpSession>(std::move(socket), sources_, idle_timeout_);
    sessions_.push_back(session);
    session->start();
  }
  accept();
}

}  // namespace kinda::dns
