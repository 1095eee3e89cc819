// One UDP socket answering queries: receive, answer from the zone (512 octets unless EDNS says
// more) or hand names outside it to the forwarder, send without waiting, receive again; a
// forwarded reply goes to the peer saved with its query. Internal to dns/ and includes Asio, so
// only .cpp files include it.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace kinda::dns {

struct AnswerSources;

class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  UdpListener(boost::asio::io_context& io, const AnswerSources& sources);

  boost::system::error_code open(const boost::asio::ip::udp::endpoint& endpoint);
  uint16_t port() const;
  void start();
  void stop();

 private:
  void receive();
  void on_receive(const boost::system::error_code& ec, size_t size);
  void send(std::vector<uint8_t> reply, const boost::asio::ip::udp::endpoint& peer);

  boost::asio::ip::udp::socket socket_;
  const AnswerSources& sources_;
  boost::asio::ip::udp::endpoint peer_;
  std::array<uint8_t, 65535> buffer_;
};

}  // namespace kinda::dns
