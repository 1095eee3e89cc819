// One UDP socket answering queries from a ZoneIndex: receive, answer (512 octets unless EDNS
// says more), send without waiting, receive again. Internal to dns/ and includes Asio, so only
// .cpp files include it.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <cstdint>
#include <memory>

namespace kinda::dns {

class ZoneIndex;

class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  UdpListener(boost::asio::io_context& io, const ZoneIndex& index);

  boost::system::error_code open(const boost::asio::ip::udp::endpoint& endpoint);
  uint16_t port() const;
  void start();
  void stop();

 private:
  void receive();
  void on_receive(const boost::system::error_code& ec, size_t size);

  boost::asio::ip::udp::socket socket_;
  const ZoneIndex& index_;
  boost::asio::ip::udp::endpoint peer_;
  std::array<uint8_t, 65535> buffer_;
};

}  // namespace kinda::dns
