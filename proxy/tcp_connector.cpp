#include "proxy/tcp_connector.hpp"

#include <boost/asio/steady_timer.hpp>

#include <spdlog/spdlog.h>

#include "proxy/socket_options.hpp"

namespace kinda::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class TcpConnector : public std::enable_shared_from_this<TcpConnector> {
 public:
  TcpConnector(tcp::socket client, std::shared_ptr<BackendPicker> picker,
               const ConnectOptions& options, std::string route_key)
      : client_(std::move(client)),
        backend_(client_.get_executor()),
        timer_(client_.get_executor()),
        picker_(std::move(picker)),
        options_(options),
        route_key_(std::move(route_key)) {
    boost::system::error_code ec;
    auto peer = client_.remote_endpoint(ec);
    if (!ec) client_address_ = peer.address();
  }

  void try_next() {
    auto backend = attempts_left() ? picker_->pick(client_address_.to_string(),
                                                   BackendPicker::Clock::now(), failed_)
                                   : std::nullopt;
    if (!backend) {
      spdlog::debug("proxy {}: no endpoint answered {}; resetting it", route_key_,
                    client_address_.to_string());
      return close_with_reset(client_);
    }
    target_ = *backend;
    boost::system::error_code ec;
    if (backend_.is_open()) backend_.close(ec);
    backend_ = tcp::socket(client_.get_executor());
    if (auto bound = open_from_client_address(backend_, client_address_)) {
      // A client address that is not local cannot happen on loopback; connect from ours.
      spdlog::debug("proxy {}: cannot bind {}: {}", route_key_, client_address_.to_string(),
                    bound.message());
      backend_ = tcp::socket(client_.get_executor());
    }
    tcp::endpoint to(asio::ip::make_address_v4(target_.ip, ec), target_.port);
    timer_.expires_after(options_.timeout);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->backend_.cancel(ec);
    });
    backend_.async_connect(
        to, [self = shared_from_this()](boost::system::error_code ec) { self->connected(ec); });
  }

 private:
  bool attempts_left() const { return static_cast<int>(failed_.size()) < options_.attempts; }

  void connected(boost::system::error_code ec) {
    timer_.cancel();
    if (ec) {
      spdlog::debug("proxy {}: endpoint {} failed: {}", route_key_, target_.to_string(),
                    ec.message());
      failed_.push_back(target_);
      return try_next();
    }
    forward_without_delay(client_);
    forward_without_delay(backend_);
    start_tcp_relay(std::move(client_), std::move(backend_), options_.relay);
  }

  tcp::socket client_;
  tcp::socket backend_;
  asio::steady_timer timer_;
  std::shared_ptr<BackendPicker> picker_;
  ConnectOptions options_;
  std::string route_key_;
  asio::ip::address client_address_ = asio::ip::make_address_v4("127.0.0.1");
  Backend target_;
  std::vector<Backend> failed_;
};

}  // namespace

void connect_to_backend(tcp::socket client, std::shared_ptr<BackendPicker> picker,
                        const ConnectOptions& options, const std::string& route_key) {
  std::make_shared<TcpConnector>(std::move(client), std::move(picker), options, route_key)
      ->try_next();
}

}  // namespace kinda::proxy
