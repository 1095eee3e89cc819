#include "kubelet/shim_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/process.hpp"
#include "runtime/socket_path.hpp"
#include "runtime/syscall.hpp"

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
using nlohmann::json;
using Local = asio::local::stream_protocol;

constexpr int kStateTimeoutMs = 2000;

// One line from a blocking socket, with a deadline: used only while the daemon starts.
Result<json> read_line(int fd, int timeout_ms) {
  std::string line;
  char ch = 0;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return Error::internal("no answer from the shim");
    ssize_t n = ::read(fd, &ch, 1);
    if (n <= 0) return Error::internal("the shim closed the connection");
    if (ch == '\n') break;
    line.push_back(ch);
  }
  auto j = json::parse(line, nullptr, false);
  if (j.is_discarded()) return Error::internal("the shim answered something that is not JSON");
  return j;
}

}  // namespace

Result<std::unique_ptr<ShimClient>> ShimClient::launch(asio::io_context& io,
                                                       const shim::ShimSpec& spec, OnEvent on_event,
                                                       OnClose on_close, pid_t* shim_pid) {
  if (auto written = shim::write_shim_spec(spec); !written) return written.error();
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return runtime::errno_error("socketpair", errno);
  runtime::UniqueFd ours(pair[0]), theirs(pair[1]);
  runtime::ProcessSpec process;
  process.argv = {spec.self_exe, "shim", spec.spec_path()};
  process.env = runtime::caller_environment();
  process.working_dir = "/";
  process.log_path = spec.pod_dir + "/shim.log";
  auto pid = runtime::spawn(process, runtime::ChildFds{.ready = theirs.get()});
  if (!pid) return pid.error();
  theirs.reset();
  *shim_pid = *pid;
  Local::socket socket(io);
  boost::system::error_code ec;
  socket.assign(Local(), ours.release(), ec);
  if (ec) return Error::internal("shim socket: " + ec.message());
  std::unique_ptr<ShimClient> client(new ShimClient(shim::LineChannel::create(std::move(socket))));
  client->listen(std::move(on_event), std::move(on_close));
  return client;
}

Result<std::unique_ptr<ShimClient>> ShimClient::reconnect(asio::io_context& io,
                                                          const std::string& socket_path,
                                                          json* state) {
  auto connected = runtime::connect_unix(socket_path);
  if (!connected) return connected.error();
  runtime::UniqueFd fd = std::move(*connected);
  const std::string ask = json{{"id", 0}, {"op", "state"}}.dump() + "\n";
  if (::write(fd.get(), ask.data(), ask.size()) != static_cast<ssize_t>(ask.size()))
    return runtime::errno_error("write to " + socket_path, errno);
  auto reply = read_line(fd.get(), kStateTimeoutMs);
  if (!reply) return reply.error();
  *state = *reply;
  Local::socket socket(io);
  boost::system::error_code ec;
  socket.assign(Local(), fd.release(), ec);
  if (ec) return Error::internal("shim socket: " + ec.message());
  return std::unique_ptr<ShimClient>(new ShimClient(shim::LineChannel::create(std::move(socket))));
}

ShimClient::~ShimClient() {
  if (channel_) channel_->close();
}

void ShimClient::listen(OnEvent on_event, OnClose on_close) {
  channel_->start(
      [this, on_event = std::move(on_event)](const json& m) {
        if (m.contains("event")) return on_event(m);
        auto it = pending_.find(m.value("id", int64_t{-1}));
        if (it == pending_.end()) return;
        auto reply = std::move(it->second);
        pending_.erase(it);
        if (reply) reply(m);
      },
      std::move(on_close));
}

void ShimClient::request(json message, OnReply on_reply) {
  auto id = next_id_++;
  message["id"] = id;
  pending_[id] = std::move(on_reply);
  channel_->send(message);
}

}  // namespace kinda::kubelet
