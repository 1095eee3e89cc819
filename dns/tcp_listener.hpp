// Accepts DNS-over-TCP connections and keeps track of them so stop() can close them all. Caps
// the number of open connections so a flood cannot exhaust the daemon's file descriptors.
// Internal to dns/; includes Asio.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace kinda::dns {

struct AnswerSources;
class TcpSession;

class TcpListener : public std::enable_shared_from_this<TcpListener> {
 public:
  TcpListener(boost::asio::io_context& io, const AnswerSources& sources,
              std::chrono::milliseconds idle_timeout);

  boost::system::error_code open(const boost::asio::ip::tcp::endpoint& endpoint);
  void start();
  void stop();

 private:
  void accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  const AnswerSources& sources_;
  std::chrono::milliseconds idle_timeout_;
  std::vector<std::weak_ptr<TcpSession>> sessions_;
};

}  // namespace kinda::dns
