// One API connection, over the Unix socket or over TLS on loopback TCP: reads requests under a
// deadline, hands them to the Handler, writes whole replies or turns into a chunked Stream (watch,
// log follow). The same code serves both transports; TLS adds the handshake and, when a token is
// set, every request must carry it as a bearer token or gets 401.
#pragma once

#include <utility>  // before Asio: Boost 1.74's headers use std::exchange without including it

#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "apiserver/transport/api_token.hpp"
#include "apiserver/transport/beast_adapter.hpp"
#include "apiserver/transport/http_types.hpp"
#include "apiserver/transport/websocket_channel.hpp"

namespace kinda::apiserver {

// How long a client may take to send a whole request (its TLS handshake included), and to start
// the next one on a kept-alive connection, before the connection is closed (the API server's
// ReadHeaderTimeout and IdleTimeout). Each stalled client holds a descriptor; without a deadline,
// clients that connect and never finish would add up until the daemon could open nothing at all.
constexpr auto kRequestReadTimeout = std::chrono::seconds(30);

template <class T>
constexpr bool kIsTls = false;
template <class Next>
constexpr bool kIsTls<boost::asio::ssl::stream<Next>> = true;

template <class AsyncStream>
class HttpSession : public std::enable_shared_from_this<HttpSession<AsyncStream>>, public Stream {
 public:
  // `token` null: no authentication (the owner-only Unix socket).
  HttpSession(AsyncStream stream, Handler& handler, const std::string* token)
      : stream_(std::move(stream)),
        read_deadline_(stream_.get_executor()),
        handler_(handler),
        token_(token) {}

  void start() {
    if constexpr (kIsTls<AsyncStream>) {
      arm_deadline();
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](boost::beast::error_code ec) {
                                self->reading_ = false;
                                if (ec) return self->refuse_handshake(ec);
                                self->read_request();
                              });
    } else {
      read_request();
    }
  }

  // Stream interface, used once a route turned this connection into a chunked stream.
  void write(std::string chunk) override {
    if (closed_ || chunk.empty()) return;
    char size[32];
    snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    enqueue(std::string(size) + chunk + "\r\n");
  }
  void finish() override {
    if (closed_ || finishing_) return;
    finishing_ = true;
    enqueue("0\r\n\r\n");
  }
  bool closed() const override { return closed_; }
  void on_close(std::function<void()> callback) override { close_callback_ = std::move(callback); }

 private:
  using error_code = boost::beast::error_code;

  void arm_deadline() {
    read_deadline_.expires_after(kRequestReadTimeout);
    reading_ = true;
    read_deadline_.async_wait([self = this->shared_from_this()](error_code ec) {
      // A deadline that fired just as the request arrived must not cut the answer short.
      if (!ec && self->reading_) self->close();
    });
  }

  void read_request() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    arm_deadline();
    boost::beast::http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, size_t) { self->on_request(ec); });
  }

  // Plain HTTP sent to the TLS port gets the answer Go's servers give it, in plain text, so
  // `curl http://…` says what went wrong instead of hanging or seeing a bare reset.
  void refuse_handshake(error_code ec) {
    read_deadline_.cancel();
    if constexpr (kIsTls<AsyncStream>) {
      if (ec.category() == boost::asio::error::get_ssl_category() &&
          ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST) {
        static const std::string answer =
            "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
            "Client sent an HTTP request to an HTTPS server.\n";
        boost::asio::async_write(
            boost::beast::get_lowest_layer(stream_), boost::asio::buffer(answer),
            [self = this->shared_from_this()](error_code, size_t) { self->close(); });
        return;
      }
    }
    close();
  }

  void on_request(error_code ec) {
    namespace http = boost::beast::http;
    reading_ = false;
    read_deadline_.cancel();
    if (ec) {
      if (ec != http::error::end_of_stream && ec != boost::asio::error::eof &&
          ec != boost::asio::error::connection_reset &&
          ec != boost::asio::error::operation_aborted &&
          ec != boost::asio::ssl::error::stream_truncated) {
        send_response(unreadable_request(ec), false);
      } else {
        close();
      }
      return;
    }
    auto raw = parser_->release();
    bool keep_alive = raw.keep_alive();
    if (token_) {
      const auto authorization = raw[http::field::authorization];
      if (!bearer_matches(std::string_view(authorization.data(), authorization.size()), *token_))
        return send_response(unauthorized(), keep_alive);
    }
    Reply reply;
    try {
      reply = handler_(to_request(raw));
    } catch (const std::exception& ex) {
      spdlog::error("api: {} {} failed: {}", std::string(raw.method_string()),
                    std::string(raw.target()), ex.what());
      reply.response = Response::error(Error::internal(ex.what()));
    }
    if (reply.stream) return start_stream(reply);
    if (reply.websocket && boost::beast::websocket::is_upgrade(raw))
      return start_websocket(raw, reply);
    send_response(reply.response, keep_alive);
  }

  // An upgrade the route accepted: from now on the connection carries WebSocket messages.
  void start_websocket(const boost::beast::http::request<boost::beast::http::string_body>& raw,
                       const Reply& reply) {
    auto channel = std::make_shared<WebSocketChannel<AsyncStream>>(
        stream_, this->shared_from_this(), [self = this->shared_from_this()] { self->close(); });
    channel->accept(raw, reply.websocket_protocol, reply.websocket);
  }

  void send_response(const Response& r, bool keep_alive) {
    namespace http = boost::beast::http;
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res->insert(name, value);
    res->keep_alive(keep_alive);
    res->body() = r.body;
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res, keep_alive](error_code ec, size_t) {
                        if (ec || !keep_alive) return self->close();
                        self->read_request();
                      });
  }

  void start_stream(const Reply& reply) {
    enqueue("HTTP/1.1 200 OK\r\nContent-Type: " + reply.stream_content_type +
            "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n");
    watch_for_disconnect();
    reply.stream(this->shared_from_this());
  }

  // A streaming client sends nothing more; a completed read means it went away. (A TLS stream
  // allows this read while writes go on.)
  void watch_for_disconnect() {
    stream_.async_read_some(
        boost::asio::buffer(probe_),
        [self = this->shared_from_this()](error_code, size_t) { self->close(); });
  }

  void enqueue(std::string data) {
    queue_.push_back(std::move(data));
    if (queue_.size() == 1) write_next();
  }

  void write_next() {
    boost::asio::async_write(stream_, boost::asio::buffer(queue_.front()),
                             [self = this->shared_from_this()](error_code ec, size_t) {
                               if (ec) return self->close();
                               self->queue_.pop_front();
                               if (!self->queue_.empty()) return self->write_next();
                               if (self->finishing_) self->close();
                             });
  }

  // Closing the socket underneath ends every pending operation, TLS ones included. (No TLS
  // close_notify: HTTP framing already tells the client where each reply ends.)
  void close() {
    if (closed_) return;
    closed_ = true;
    read_deadline_.cancel();
    error_code ignored;
    auto& socket = boost::beast::get_lowest_layer(stream_);
    socket.shutdown(std::decay_t<decltype(socket)>::shutdown_both, ignored);
    socket.close(ignored);
    if (auto callback = std::exchange(close_callback_, nullptr)) callback();
  }

  AsyncStream stream_;
  boost::asio::steady_timer read_deadline_;
  Handler& handler_;
  const std::string* token_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::deque<std::string> queue_;
  char probe_[256];
  bool reading_ = false;
  bool finishing_ = false;
  bool closed_ = false;
  std::function<void()> close_callback_;
};

}  // namespace kinda::apiserver
