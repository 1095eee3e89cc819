// A small HTTP/1.1 server for the prober tests, listening on 127.0.0.1 (plain or TLS) on the test's
// own io_context: it records every request and answers as the test's route says: at once, after
// a delay, or never. One request per connection, then it closes, as the kubelet expects.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#ifdef KINDA_TEST_TLS
#include <boost/asio/ssl.hpp>
#endif

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kinda::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct SeenRequest {
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case

  std::optional<std::string> header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_name) return value;
    return std::nullopt;
  }
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = "ok";
  std::chrono::milliseconds delay{0};
  bool never = false;  // keep the connection open and say nothing
};

class TestHttpServer {
 public:
  using Route = std::function<Reply(const SeenRequest&)>;

  TestHttpServer(asio::io_context& io, Route route) : acceptor_(io), route_(std::move(route)) {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    accept();
  }

#ifdef KINDA_TEST_TLS
  // TLS with a self-signed certificate, which the prober must accept without verifying.
  TestHttpServer(asio::io_context& io, Route route, asio::ssl::context& tls)
      : TestHttpServer(io, std::move(route)) {
    tls_ = &tls;
  }
#endif

  int port() const {
    return acceptor_.local_endpoint().port();
  }

  std::vector<SeenRequest> seen;

 private:
  template <class Stream>
  class Session : public std::enable_shared_from_this<Session<Stream>> {
   public:
    template <class... Args>
    Session(TestHttpServer& server, Args&&... args)
        : stream_(std::forward<Args>(args)...),
          server_(server),
          timer_(server.acceptor_.get_executor()) {}

    void start() {
#ifdef KINDA_TEST_TLS
      if constexpr (!std::is_same_v<Stream, tcp::socket>) {
        stream_.async_handshake(asio::ssl::stream_base::server,
                                [self = this->shared_from_this()](boost::system::error_code ec) {
                                  if (!ec) self->read();
                                });
        return;
      }
#endif
      read();
    }

   private:
    void read() {
      asio::async_read_until(
          stream_, asio::dynamic_buffer(buffer_), "\r\n\r\n",
          [self = this->shared_from_this()](boost::system::error_code ec, size_t length) {
            if (!ec) self->on_request(length);
          });
    }

    void on_request(size_t length) {
      SeenRequest request = parse(buffer_.substr(0, length));
      server_.seen.push_back(request);
      reply_ = server_.route_(request);
      if (reply_.never) {
        server_.silent_.push_back(this->shared_from_this());
        return;
      }
      timer_.expires_after(reply_.delay);
      timer_.async_wait(
          [self = this->shared_from_this()](boost::system::error_code) { self->write(); });
    }

    void write() {
      response_ = "HTTP/1.1 " + std::to_string(reply_.status) +
                  " Status\r\nContent-Length: " + std::to_string(reply_.body.size()) +
                  "\r\nConnection: close\r\n";
      for (const auto& [name, value] : reply_.headers) response_ += name + ": " + value + "\r\n";
      response_ += "\r\n" + reply_.body;
      // The prober may hang up early (it reads at most 10 KiB), so errors are expected.
      asio::async_write(stream_, asio::buffer(response_),
                        [self = this->shared_from_this()](boost::system::error_code, size_t) {});
    }

    static SeenRequest parse(const std::string& head) {
      SeenRequest request;
      size_t line_end = head.find("\r\n");
      std::string request_line = head.substr(0, line_end);
      size_t first = request_line.find(' '), last = request_line.rfind(' ');
      if (first != std::string::npos && last > first)
        request.target = request_line.substr(first + 1, last - first - 1);
      for (size_t at = line_end + 2; at < head.size();) {
        size_t end = head.find("\r\n", at);
        std::string line = head.substr(at, end - at);
        at = end + 2;
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        size_t value_at = line.find_first_not_of(' ', colon + 1);
        request.headers.emplace_back(name,
                                     value_at == std::string::npos ? "" : line.substr(value_at));
      }
      return request;
    }

    Stream stream_;
    TestHttpServer& server_;
    asio::steady_timer timer_;
    std::string buffer_;
    Reply reply_;
    std::string response_;
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
#ifdef KINDA_TEST_TLS
      if (tls_) {
        using TlsStream = asio::ssl::stream<tcp::socket>;
        std::make_shared<Session<TlsStream>>(*this, std::move(socket), *tls_)->start();
        return accept();
      }
#endif
      std::make_shared<Session<tcp::socket>>(*this, std::move(socket))->start();
      accept();
    });
  }

  tcp::acceptor acceptor_;
  Route route_;
  std::vector<std::shared_ptr<void>> silent_;  // connections that never get an answer
#ifdef KINDA_TEST_TLS
  asio::ssl::context* tls_ = nullptr;
#endif
};

}  // namespace kinda::test
