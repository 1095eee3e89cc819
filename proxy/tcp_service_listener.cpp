#include "proxy/tcp_service_listener.hpp"

#include <spdlog/spdlog.h>

namespace kinda::proxy {

namespace asio = boost::asio;
using asio::ip::tcp;

TcpServiceListener::TcpServiceListener(asio::io_context& io, tcp::endpoint at,
                                       std::shared_ptr<BackendPicker> picker,
                                       ConnectOptions options, std::string route_key)
    : acceptor_(io),
      backoff_(io),
      at_(std::move(at)),
      picker_(std::move(picker)),
      options_(std::move(options)),
      route_key_(std::move(route_key)) {}

Status TcpServiceListener::open() {
  if (acceptor_.is_open()) return Ok{};
  boost::system::error_code ec;
  acceptor_.open(at_.protocol(), ec);
  // SO_REUSEADDR: reopening after the endpoints come back must not fail over the accepted
  // connections of the previous socket that are still relayed or in TIME_WAIT.
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at_, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return Error::internal("cannot listen on " + at_.address().to_string() + ":" +
                           std::to_string(at_.port()) + "/TCP: " + ec.message());
  }
  accept();
  return Ok{};
}

void TcpServiceListener::close() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  backoff_.cancel();
}

void TcpServiceListener::accept() {
  acceptor_.async_accept(
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket client) {
        if (!self->acceptor_.is_open() || ec == asio::error::operation_aborted) return;
        if (ec) {
          // Out of descriptors, most likely: wait a little instead of spinning on the error.
          spdlog::warn("proxy {}: accept failed: {}", self->route_key_, ec.message());
          self->backoff_.expires_after(std::chrono::milliseconds(100));
          self->backoff_.async_wait([self](boost::system::error_code ec) {
            if (!ec && self->acceptor_.is_open()) self->accept();
          });
          return;
        }
        connect_to_backend(std::move(client), self->picker_, self->options_, self->route_key_);
        self->accept();
      });
}

}  // namespace kinda::proxy
