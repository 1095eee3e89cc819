// The server's end of a WebSocket connection upgraded from an API request (pods/exec), over the
// same stream the HTTP session used (Unix socket or TLS): accepts the upgrade with the route's
// subprotocol, then passes binary messages both ways until either side closes. Pings are answered
// by Beast itself, which kubectl's heartbeat needs.
#pragma once

#include <utility>  // before Asio: Boost 1.74's headers use std::exchange without including it

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "apiserver/transport/http_types.hpp"

namespace kinda::apiserver {

template <class AsyncStream>
class WebSocketChannel : public MessageChannel,
                         public std::enable_shared_from_this<WebSocketChannel<AsyncStream>> {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  // `next` belongs to `owner` (the HTTP session), which this keeps alive; `done` runs once the
  // connection is over, to close the socket.
  WebSocketChannel(AsyncStream& next, std::shared_ptr<void> owner, std::function<void()> done)
      : ws_(next), owner_(std::move(owner)), done_(std::move(done)) {}

  // Completes the handshake for `request`, then hands the open channel to `ready`.
  void accept(const Request& request, const std::string& protocol,
              std::function<void(std::shared_ptr<MessageChannel>)> ready) {
    namespace websocket = boost::beast::websocket;
    ws_.set_option(websocket::stream_base::decorator([protocol](websocket::response_type& res) {
      res.set(boost::beast::http::field::sec_websocket_protocol, protocol);
    }));
    ws_.binary(true);
    ws_.async_accept(request, [self = this->shared_from_this(),
                               ready = std::move(ready)](boost::beast::error_code ec) {
      if (ec) return self->finish();
      ready(self);
      self->read_next();
    });
  }

  void send(std::string message) override {
    if (closed_ || closing_) return;
    queue_.push_back(std::move(message));
    if (queue_.size() == 1) write_next();
  }
  void close() override {
    if (closed_ || closing_) return;
    closing_ = true;
    if (queue_.empty()) send_close();
  }
  bool closed() const override { return closed_; }
  void on_message(std::function<void(std::string)> callback) override {
    on_message_ = std::move(callback);
  }
  void on_close(std::function<void()> callback) override { on_close_ = std::move(callback); }

 private:
  void read_next() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](boost::beast::error_code ec, size_t) {
      if (ec) return self->finish();
      std::string message = boost::beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      if (self->on_message_) self->on_message_(std::move(message));
      if (!self->closed_) self->read_next();
    });
  }

  void write_next() {
    ws_.async_write(boost::asio::buffer(queue_.front()),
                    [self = this->shared_from_this()](boost::beast::error_code ec, size_t) {
                      if (ec) return self->finish();
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) return self->write_next();
                      if (self->closing_) self->send_close();
                    });
  }

  // The close handshake: the peer's answering close frame ends the pending read, which finishes.
  void send_close() {
    ws_.async_close(
        boost::beast::websocket::close_code::normal,
        [self = this->shared_from_this()](boost::beast::error_code) { self->finish(); });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    if (auto callback = std::exchange(on_close_, nullptr)) callback();
    on_message_ = nullptr;
    if (auto done = std::exchange(done_, nullptr)) done();
  }

  boost::beast::websocket::stream<AsyncStream&> ws_;
  std::shared_ptr<void> owner_;
  std::function<void()> done_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::function<void(std::string)> on_message_;
  std::function<void()> on_close_;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace kinda::apiserver
