#include "kubelet/prober/probes.hpp"

#include <utility>

#include <boost/asio.hpp>

#include "kubelet/prober/http_prober.hpp"
#include "kubelet/prober/probe_port.hpp"
#include "runtime/process.hpp"
#include "runtime/run_async.hpp"

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using nlohmann::json;

// A tcpSocket probe: a connection attempt bounded by a timer. Owned by its own completion
// handlers.
class TcpProbe : public std::enable_shared_from_this<TcpProbe> {
 public:
  TcpProbe(asio::io_context& io, ProbeDone done)
      : socket_(io), timer_(io), done_(std::move(done)) {}

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
    finish(true, "");
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
    spec.join_mount_namespace_of = target.mount_namespace_pid;
    spec.working_dir = target.sandbox_pid ? "/" : target.working_dir;
    spec.network_supervisor = target.network_supervisor;
    spec.credentials = target.credentials;
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
    std::make_shared<TcpProbe>(io, std::move(done))
        ->start(host, resolve_probe_port(t.value("port", json()), target.container_ports), timeout);
    return;
  }
  if (probe.contains("httpGet")) {
    auto request = http_probe_request(probe["httpGet"], target);
    if (!request) {
      asio::post(io, [done, message = request.error().message] { done(false, message); });
      return;
    }
    http_probe(io, std::move(*request), timeout, std::move(done));
    return;
  }
  done(false, "probe has no supported handler");
}

}  // namespace kinda::kubelet
