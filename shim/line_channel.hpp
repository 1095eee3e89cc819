// One newline-delimited JSON conversation over a Unix stream socket: the shim's protocol on both
// ends (daemon and shim). Lines are read and written asynchronously on the caller's io_context;
// messages are queued so writes never interleave. After close(), no callback runs again.
#pragma once

#include <utility>  // Boost 1.74's asio needs it before awaitable.hpp

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

namespace kinda::shim {

class LineChannel : public std::enable_shared_from_this<LineChannel> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;
  using OnMessage = std::function<void(const nlohmann::json&)>;
  using OnClose = std::function<void()>;

  static std::shared_ptr<LineChannel> create(Socket socket);

  // Starts reading; on_close runs once when the peer goes or a line is not JSON.
  void start(OnMessage on_message, OnClose on_close);
  void send(const nlohmann::json& message);
  void close();
  bool open() const { return !closed_; }

 private:
  explicit LineChannel(Socket socket) : socket_(std::move(socket)) {}
  void read_next();
  void write_next();
  void fail();

  Socket socket_;
  boost::asio::streambuf input_;
  std::deque<std::string> output_;
  OnMessage on_message_;
  OnClose on_close_;
  bool closed_ = false;
};

}  // namespace kinda::shim
