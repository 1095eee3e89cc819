#include "daemon/http_server.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>

#include <deque>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "runtime/socket_path.hpp"

namespace kinda::daemon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using local = asio::local::stream_protocol;

constexpr size_t kMaxBodyBytes = 8 * 1024 * 1024;
// How long a client may take to send a whole request, and to start the next one on a kept-alive
// connection, before the connection is closed (the API server's ReadHeaderTimeout and
// IdleTimeout). Each stalled client holds a descriptor; without a deadline, clients that connect
// and never finish would add up until the daemon could open no file, socket or pipe at all.
constexpr auto kRequestReadTimeout = std::chrono::seconds(30);
// When accept fails for want of descriptors the connection stays queued, so accepting again at
// once would fail again at once: wait a little instead of spinning a core until one frees up.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

// The answer to a request Beast could not read, in the API server's words where it has them.
Response unreadable_request(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return Response::error(
        Error{413,
              "RequestEntityTooLarge",
              "Request entity too large: limit is " + std::to_string(kMaxBodyBytes),
              {}});
  if (ec == http::error::header_limit)
    return Response::error(Error{
        431, "RequestHeaderFieldsTooLarge", "the request line and headers are too large", {}});
  return Response::error(Error::bad_request("malformed HTTP request: " + ec.message()));
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

Request to_request(const http::request<http::string_body>& raw) {
  Request req;
  req.method = std::string(raw.method_string());
  std::string_view target(raw.target().data(), raw.target().size());
  auto q = target.find('?');
  req.path = percent_decode(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      auto pair = query.substr(0, amp);
      auto eq = pair.find('=');
      if (!pair.empty())
        req.query[percent_decode(pair.substr(0, eq))] =
            eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  req.content_type = std::string(raw[http::field::content_type]);
  req.accept = std::string(raw[http::field::accept]);
  req.body = raw.body();
  return req;
}

class Session : public std::enable_shared_from_this<Session>, public Stream {
 public:
  Session(local::socket socket, Handler& handler)
      : socket_(std::move(socket)), read_deadline_(socket_.get_executor()), handler_(handler) {}

  void start() { read_request(); }

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
  void read_request() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    read_deadline_.expires_after(kRequestReadTimeout);
    reading_ = true;
    read_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
      // A deadline that fired just as the request arrived must not cut the answer short.
      if (!ec && self->reading_) self->close();
    });
    http::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec) {
    reading_ = false;
    read_deadline_.cancel();
    if (ec) {
      if (ec != http::error::end_of_stream && ec != asio::error::eof &&
          ec != asio::error::connection_reset && ec != asio::error::operation_aborted) {
        send_response(unreadable_request(ec), false);
      } else {
        close();
      }
      return;
    }
    auto raw = parser_->release();
    bool keep_alive = raw.keep_alive();
    Reply reply;
    try {
      reply = handler_(to_request(raw));
    } catch (const std::exception& ex) {
      spdlog::error("api: {} {} failed: {}", std::string(raw.method_string()),
                    std::string(raw.target()), ex.what());
      reply.response = Response::error(Error::internal(ex.what()));
    }
    if (reply.stream) return start_stream(reply);
    send_response(reply.response, keep_alive);
  }

  void send_response(const Response& r, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), 11);
    res->set(http::field::content_type, r.content_type);
    res->keep_alive(keep_alive);
    res->body() = r.body;
    res->prepare_payload();
    http::async_write(socket_, *res,
                      [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
                        if (ec || !keep_alive) return self->close();
                        self->read_request();
                      });
  }

  void start_stream(const Reply& reply) {
    streaming_ = true;
    enqueue("HTTP/1.1 200 OK\r\nContent-Type: " + reply.stream_content_type +
            "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n");
    watch_for_disconnect();
    reply.stream(shared_from_this());
  }

  // A streaming client sends nothing more; a completed read means it went away.
  void watch_for_disconnect() {
    socket_.async_read_some(
        asio::buffer(probe_),
        [self = shared_from_this()](beast::error_code, size_t) { self->close(); });
  }

  void enqueue(std::string data) {
    queue_.push_back(std::move(data));
    if (queue_.size() == 1) write_next();
  }

  void write_next() {
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        self->queue_.pop_front();
                        if (!self->queue_.empty()) return self->write_next();
                        if (self->finishing_) self->close();
                      });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    read_deadline_.cancel();
    beast::error_code ignored;
    socket_.shutdown(local::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (auto callback = std::exchange(close_callback_, nullptr)) callback();
  }

  local::socket socket_;
  asio::steady_timer read_deadline_;
  Handler& handler_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::deque<std::string> queue_;
  char probe_[256];
  bool reading_ = false;
  bool streaming_ = false;
  bool finishing_ = false;
  bool closed_ = false;
  std::function<void()> close_callback_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(asio::io_context& io, Handler h) : acceptor(io), accept_retry(io), handler(std::move(h)) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, local::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Session>(std::move(socket), handler)->start();
      if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
          ec == asio::error::no_memory || ec.value() == ENFILE) {
        if (!accept_failing) spdlog::warn("api: cannot accept connections: {}", ec.message());
        accept_failing = true;
        accept_retry.expires_after(kAcceptRetryDelay);
        accept_retry.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec) accept();
        });
        return;
      }
      if (!ec) accept_failing = false;
      accept();
    });
  }

  local::acceptor acceptor;
  asio::steady_timer accept_retry;
  bool accept_failing = false;
  Handler handler;
};

HttpServer::HttpServer(asio::io_context& io, Handler handler)
    : impl_(std::make_unique<Impl>(io, std::move(handler))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::listen_unix(const std::filesystem::path& socket_path) {
  std::error_code fs_ec;
  std::filesystem::create_directories(socket_path.parent_path(), fs_ec);
  std::filesystem::remove(socket_path, fs_ec);
  // The umask makes the socket 0600 from its first instant, so no other user can slip in.
  mode_t old_mask = ::umask(0177);
  beast::error_code ec;
  impl_->acceptor.open(local(), ec);
  runtime::SocketPath address(socket_path.string());
  if (!ec) impl_->acceptor.bind(local::endpoint(address.address()), ec);
  ::umask(old_mask);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error::internal("cannot listen on " + socket_path.string() + ": " + ec.message());
  ::chmod(socket_path.c_str(), 0600);
  impl_->accept();
  return Ok{};
}

void HttpServer::stop() {
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->accept_retry.cancel();
}

}  // namespace kinda::daemon
