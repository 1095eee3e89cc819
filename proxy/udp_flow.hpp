// One UDP client of a Service port and the endpoint chosen for it (see udp_service_listener).
#pragma once

#include <utility>

#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include "proxy/route_table.hpp"

namespace kinda::proxy {

class UdpFlow : public std::enable_shared_from_this<UdpFlow> {
 public:
  using Clock = std::chrono::steady_clock;

  UdpFlow(boost::asio::ip::udp::socket socket, boost::asio::ip::udp::endpoint client,
          Backend backend, std::shared_ptr<boost::asio::ip::udp::socket> service_socket,
          std::shared_ptr<std::vector<char>> buffer);
  // A socket bound to the client's address and connected to `backend`, or the error.
  static boost::system::error_code open_socket(boost::asio::ip::udp::socket& socket,
                                               const boost::asio::ip::udp::endpoint& client,
                                               const Backend& backend);

  void start();  // begins passing the endpoint's replies back
  void send(const char* data, size_t bytes);
  void close();

  bool closed() const { return !socket_.is_open(); }
  const Backend& backend() const { return backend_; }
  Clock::time_point last_active() const { return last_active_; }

 private:
  void wait_for_replies();

  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint client_;
  Backend backend_;
  std::shared_ptr<boost::asio::ip::udp::socket> service_socket_;
  std::shared_ptr<std::vector<char>> buffer_;
  Clock::time_point last_active_ = Clock::now();
};

}  // namespace kinda::proxy
