// One DNS-over-TCP connection (RFC 7766): read a two-octet length and the query, answer,
// write the length-prefixed response, read the next; close on EOF, on a malformed frame or when
// no query completes within the idle timeout. Internal to dns/; includes Asio.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace kinda::dns {

class ZoneIndex;

class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(boost::asio::ip::tcp::socket socket, const ZoneIndex& index,
             std::chrono::milliseconds idle_timeout);

  void start();
  void close();

 private:
  void read_length();
  void on_length(const boost::system::error_code& ec, size_t size);
  void on_query(const boost::system::error_code& ec, size_t size);
  void on_written(const boost::system::error_code& ec, size_t size);
  void on_idle(const boost::system::error_code& ec);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer idle_timer_;
  const ZoneIndex& index_;
  std::chrono::milliseconds idle_timeout_;
  std::array<uint8_t, 2> length_{};
  std::vector<uint8_t> query_;
  std::vector<uint8_t> response_;  // length prefix included
};

}  // namespace kinda::dns
