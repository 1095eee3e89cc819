// A Service port's TCP listener on one address: accepts and hands each connection to the
// connector, which picks the endpoint from the port's shared picker.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "proxy/backend_picker.hpp"
#include "proxy/service_listener.hpp"
#include "proxy/tcp_connector.hpp"

namespace kinda::proxy {

class TcpServiceListener final : public ServiceListener,
                                 public std::enable_shared_from_this<TcpServiceListener> {
 public:
  TcpServiceListener(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint at,
                     std::shared_ptr<BackendPicker> picker, ConnectOptions options,
                     std::string route_key);
  Status open() override;
  void close() override;
  bool is_open() const override { return acceptor_.is_open(); }

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;  // after an accept error such as EMFILE
  boost::asio::ip::tcp::endpoint at_;
  std::shared_ptr<BackendPicker> picker_;
  ConnectOptions options_;
  std::string route_key_;
};

}  // namespace kinda::proxy
