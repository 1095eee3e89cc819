// One DNS-over-TCP connection (RFC 7766): read a two-octet length and the query, answer it,
// read the next. Zone answers are written at once; forwarded queries are answered when their
// upstream reply comes, possibly after later queries' answers (RFC 7766 §6.2.1.1), and keep the
// session alive until then. Closes on EOF, on a malformed frame, or when no query completes
// within the idle timeout while none waits for an upstream. Internal to dns/; includes Asio.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace kinda::dns {

struct AnswerSources;

class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(boost::asio::ip::tcp::socket socket, const AnswerSources& sources,
             std::chrono::milliseconds idle_timeout);

  void start();
  void close();

 private:
  // A reply and its length prefix, written together.
  struct Frame {
    std::array<uint8_t, 2> length;
    std::vector<uint8_t> message;
  };

  void read_next();
  void read_length();
  void on_length(const boost::system::error_code& ec, size_t size);
  void on_query(const boost::system::error_code& ec, size_t size);
  void forward();
  void on_forwarded(std::vector<uint8_t> reply);
  void send(std::vector<uint8_t> reply);
  void write_front();
  void on_written(const boost::system::error_code& ec, size_t size);
  void on_idle(const boost::system::error_code& ec);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer idle_timer_;
  const AnswerSources& sources_;
  std::chrono::milliseconds idle_timeout_;
  std::array<uint8_t, 2> length_{};
  std::vector<uint8_t> query_;
  bool reading_ = false;      // a read of the next query is under way
  size_t forwarded_ = 0;      // queries waiting for an upstream reply
  std::deque<Frame> outbox_;  // replies to write; the front one is being written
};

}  // namespace kinda::dns
