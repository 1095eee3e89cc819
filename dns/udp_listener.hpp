// One UDP socket answering queries: when it is readable, drain it a batch at a time (recvmmsg),
// answer each query from the zone (512 octets unless EDNS says more) or hand names outside it to
// the forwarder, send the batch's answers with one sendmmsg, wait again. A forwarded reply goes
// to the peer saved with its query. Internal to dns/ and includes Asio, so only .cpp files
// include it.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace kinda::dns {

struct AnswerSources;
class UdpBatch;

class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  UdpListener(boost::asio::io_context& io, const AnswerSources& sources);
  ~UdpListener();

  boost::system::error_code open(const boost::asio::ip::udp::endpoint& endpoint);
  uint16_t port() const;
  void start();
  void stop();

 private:
  void wait();
  void on_readable(const boost::system::error_code& ec);
  void answer_batch(size_t count);
  void send(std::vector<uint8_t> reply, const boost::asio::ip::udp::endpoint& peer);

  boost::asio::ip::udp::socket socket_;
  const AnswerSources& sources_;
  std::unique_ptr<UdpBatch> batch_;
};

}  // namespace kinda::dns
