#include "daemon/probes.hpp"

#include <utility>

#include <boost/asio.hpp>

#include "runtime/process.hpp"
#include "runtime/run_async.hpp"

namespace kinda::daemon {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using nlohmann::json;

int resolve_port(const json& port, const json& container_ports) {
  if (port.is_number_integer()) return port.get<int>();
  if (port.is_string()) {
    auto name = port.get<std::string>();
    if (container_ports.is_array())
      for (const auto& p : container_ports)
        if (p.value("name", "") == name) return p.value("containerPort", 0);
    try {
      return std::stoi(name);
    } catch (...) {
    }
  }
  return 0;
}

// A connection attempt bounded by a timer; for httpGet it also sends a request and reads the
// status line. Owned by its own completion handlers.
class NetworkProbe : public std::enable_shared_from_this<NetworkProbe> {
 public:
  NetworkProbe(asio::io_context& io, std::string request, ProbeDone done)
      : socket_(io), timer_(io), request_(std::move(request)), done_(std::move(done)) {}

  void start(const std::string& ip, int port, std::chrono::milliseconds timeout) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(ip, ec);
    if (ec || port <= 0 || port > 65535)
      return finish(false, "invalid probe address " + ip + ":" + std::to_string(port));
    endpoint_ = ip + ":" + std::to_string(port);
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
      if (!e) self->finish(false, "timeout after probe deadline connecting to " + self->endpoint_);
    });
    socket_.async_connect(
        tcp::endpoint(address, static_cast<uint16_t>(port)),
        [self = shared_from_this()](boost::system::error_code e) { self->on_connect(e); });
  }

 private:
  void on_connect(boost::system::error_code ec) {
    if (ec) return finish(false, "dial tcp " + endpoint_ + ": connect: " + ec.message());
    if (request_.empty()) return finish(true, "");
    asio::async_write(
        socket_, asio::buffer(request_),
        [self = shared_from_this()](boost::system::error_code e, size_t) {
          if (e) return self->finish(false, "write failed: " + e.message());
          asio::async_read_until(
              self->socket_, asio::dynamic_buffer(self->reply_), "\r\n",
              [self](boost::system::error_code e2, size_t) { self->on_status_line(e2); });
        });
  }

  void on_status_line(boost::system::error_code ec) {
    if (ec && reply_.empty()) return finish(false, "reading response: " + ec.message());
    // "HTTP/1.1 200 OK": 200-399 counts as success, as in the kubelet.
    auto space = reply_.find(' ');
    int code = space == std::string::npos ? 0 : std::atoi(reply_.c_str() + space + 1);
    if (code >= 200 && code < 400) return finish(true, "");
    finish(false, "HTTP probe failed with statuscode: " + std::to_string(code));
  }

  void finish(bool ok, std::string message) {
    if (!done_) return;
    auto done = std::exchange(done_, nullptr);
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    done(ok, std::move(message));
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::string request_;
  std::string reply_;
  std::string endpoint_;
  ProbeDone done_;
};

}  // namespace

void run_probe(asio::io_context& io, const json& probe, const ProbeTarget& target,
               std::chrono::milliseconds timeout, ProbeDone done) {
  if (probe.contains("exec")) {
    runtime::ProcessSpec spec;
    for (const auto& part : probe["exec"].value("command", json::array()))
      spec.argv.push_back(part.get<std::string>());
    spec.env = target.env;
    spec.join_namespaces_of = target.sandbox_pid;
    spec.working_dir = target.sandbox_pid ? "/" : target.working_dir;
    runtime::run_async(io, spec, timeout, [done](Result<runtime::RunResult> result) {
      if (!result) return done(false, result.error().message);
      if (result->timed_out) return done(false, "command timed out");
      if (result->exit_code == 0) return done(true, "");
      done(false, "command failed with exit code " + std::to_string(result->exit_code) +
                      (result->output.empty() ? "" : ": " + result->output));
    });
    return;
  }
  if (probe.contains("tcpSocket")) {
    const auto& t = probe["tcpSocket"];
    auto host = t.value("host", target.pod_ip);
    std::make_shared<NetworkProbe>(io, "", std::move(done))
        ->start(host, resolve_port(t.value("port", json()), target.container_ports), timeout);
    return;
  }
  if (probe.contains("httpGet")) {
    const auto& h = probe["httpGet"];
    auto host = h.value("host", target.pod_ip);
    int port = resolve_port(h.value("port", json()), target.container_ports);
    std::string request = "GET " + h.value("path", std::string("/")) +
                          " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                          "\r\nUser-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n";
    if (h.contains("httpHeaders") && h["httpHeaders"].is_array())
      for (const auto& header : h["httpHeaders"])
        request += header.value("name", "") + ": " + header.value("value", "") + "\r\n";
    request += "\r\n";
    std::make_shared<NetworkProbe>(io, std::move(request), std::move(done))
        ->start(host, port, timeout);
    return;
  }
  done(false, "probe has no supported handler");
}

}  // namespace kinda::daemon
