#include "kubelet/streaming/pod_exec.hpp"

#include <utility>  // before Asio: Boost 1.74's headers use std::exchange without including it

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "runtime/exit_watcher.hpp"
#include "runtime/syscall.hpp"

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

constexpr char kStdin = 0, kStdout = 1, kStderr = 2, kError = 3, kResize = 4;
constexpr unsigned char kCloseSignal = 255;  // v5: [255, channel] closes that channel
// After the command has exited, output still in its pipes is forwarded for at most this long (a
// background child may hold them open for good).
constexpr auto kOutputGrace = std::chrono::seconds(1);

// The outcome as the kubelet reports it on the error channel: kubectl exits with the code.
std::string outcome(const Result<int>& exit_code) {
  json status = {{"metadata", json::object()}};
  if (!exit_code) {
    status["status"] = "Failure";
    status["reason"] = "InternalError";
    status["message"] = "error executing command in container: " + exit_code.error().message;
  } else if (*exit_code == 0) {
    status["status"] = "Success";
  } else {
    status["status"] = "Failure";
    status["reason"] = "NonZeroExitCode";
    status["message"] =
        "command terminated with non-zero exit code: exit status " + std::to_string(*exit_code);
    status["details"] = {{"causes", json::array({{{"reason", "ExitCode"},
                                                  {"message", std::to_string(*exit_code)}}})}};
  }
  return std::string(1, kError) + status.dump();
}

// One command for one client: pipes (or a terminal) between the process and the channel.
class ExecSession : public std::enable_shared_from_this<ExecSession> {
 public:
  ExecSession(asio::io_context& io, ExecOptions options, std::function<void(pid_t)> started)
      : io_(io), options_(std::move(options)), started_(std::move(started)), grace_(io) {}

  void start(std::shared_ptr<apiserver::MessageChannel> channel, runtime::ProcessSpec spec) {
    channel_ = std::move(channel);
    auto self = shared_from_this();
    channel_->on_message([self](std::string message) { self->on_message(std::move(message)); });
    channel_->on_close([self] { self->on_client_gone(); });
    auto started = spawn(std::move(spec));
    if (!started) return finish(started.error());
  }

 private:
  struct Output {
    std::unique_ptr<asio::posix::stream_descriptor> pipe;
    char channel;
    std::array<char, 32768> buffer;
    bool open = false;
  };

  Status spawn(runtime::ProcessSpec spec) {
    spec.new_session = true;  // its group is what a client that leaves takes down
    runtime::ChildFds fds;
    std::vector<runtime::UniqueFd> child_ends;  // the child's copies, closed once it has them
    if (options_.tty) {
      int master = -1, slave = -1;
      if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
        return Error::internal(std::string("cannot open a terminal: ") + std::strerror(errno));
      ::fcntl(master, F_SETFD, FD_CLOEXEC);
      ::fcntl(slave, F_SETFD, FD_CLOEXEC);
      child_ends.emplace_back(slave);
      fds.input = fds.output = slave;
      fds.controlling_terminal = true;
      terminal_ = master;
      add_output(master, kStdout);
      stdin_ = std::make_unique<asio::posix::stream_descriptor>(io_, ::dup(master));
    } else {
      for (char channel : {kStdout, kStderr}) {
        auto pipe = runtime::make_pipe();
        if (!pipe) return pipe.error();
        (channel == kStdout ? fds.output : fds.error) = pipe->write.get();
        child_ends.push_back(std::move(pipe->write));
        add_output(pipe->read.release(), channel);
      }
      if (options_.stdin) {
        auto pipe = runtime::make_pipe();
        if (!pipe) return pipe.error();
        fds.input = pipe->read.get();
        child_ends.push_back(std::move(pipe->read));
        stdin_ = std::make_unique<asio::posix::stream_descriptor>(io_, pipe->write.release());
      }
    }
    auto pid = runtime::spawn(spec, fds);
    child_ends.clear();
    if (!pid) return pid.error();
    pid_ = *pid;
    if (started_) started_(pid_);
    auto self = shared_from_this();
    watcher_ = std::make_unique<runtime::ExitWatcher>(io_, pid_, [self](std::optional<int> status) {
      self->on_exit(status ? runtime::exit_code_from_wait_status(*status) : -1);
    });
    for (auto& out : outputs_) read_next(*out);
    return Ok{};
  }

  void add_output(int fd, char channel) {
    auto out = std::make_unique<Output>();
    out->pipe = std::make_unique<asio::posix::stream_descriptor>(io_, fd);
    out->channel = channel;
    out->open = true;
    outputs_.push_back(std::move(out));
  }

  void read_next(Output& out) {
    out.pipe->async_read_some(
        asio::buffer(out.buffer),
        [self = shared_from_this(), &out](boost::system::error_code ec, size_t n) {
          if (n > 0 && !self->done_) {
            bool wanted = out.channel == kStdout ? self->options_.stdout : self->options_.stderr;
            if (wanted) self->channel_->send(out.channel + std::string(out.buffer.data(), n));
          }
          // A terminal whose other end is gone reads EIO, a pipe EOF: either way, no more output.
          if (ec || self->done_) {
            out.open = false;
            return self->maybe_finish();
          }
          self->read_next(out);
        });
  }

  void on_message(std::string message) {
    if (message.empty() || done_) return;
    const auto channel = static_cast<unsigned char>(message[0]);
    if (channel == kStdin && stdin_) {
      stdin_queue_.push_back(message.substr(1));
      if (stdin_queue_.size() == 1) write_stdin();
    } else if (channel == kCloseSignal && message.size() >= 2 && message[1] == kStdin) {
      stdin_closing_ = true;
      if (stdin_queue_.empty()) close_stdin();
    } else if (channel == kResize && terminal_ >= 0) {
      if (auto size = terminal_size_of(std::string_view(message).substr(1))) {
        struct winsize ws {};
        ws.ws_col = size->width;
        ws.ws_row = size->height;
        ::ioctl(terminal_, TIOCSWINSZ, &ws);
      }
    }
  }

  void write_stdin() {
    asio::async_write(*stdin_, asio::buffer(stdin_queue_.front()),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        if (ec) return self->close_stdin();
                        self->stdin_queue_.pop_front();
                        if (!self->stdin_queue_.empty()) return self->write_stdin();
                        if (self->stdin_closing_) self->close_stdin();
                      });
  }

  // The client's stdin ended: the command reads EOF. (A terminal is left open: the command gets
  // its end of input from the keys the user typed, as with a real terminal.)
  void close_stdin() {
    stdin_queue_.clear();
    if (stdin_ && !options_.tty) {
      boost::system::error_code ignored;
      stdin_->close(ignored);
    }
  }

  void on_exit(int exit_code) {
    exit_code_ = exit_code;
    grace_.expires_after(kOutputGrace);
    grace_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->finish(*self->exit_code_);
    });
    maybe_finish();
  }

  void maybe_finish() {
    if (!exit_code_) return;
    for (const auto& out : outputs_)
      if (out->open) return;
    finish(*exit_code_);
  }

  void finish(const Result<int>& exit_code) {
    if (done_) return;
    done_ = true;
    grace_.cancel();
    if (!channel_->closed()) {
      channel_->send(outcome(exit_code));
      channel_->close();
    }
    release();
  }

  // The client left before the command ended: its whole group goes (nobody reads it any more).
  void on_client_gone() {
    if (pid_ > 0 && !exit_code_) ::kill(-pid_, SIGKILL);
    done_ = true;
    release();
  }

  void release() {
    boost::system::error_code ignored;
    for (auto& out : outputs_) out->pipe->close(ignored);
    if (stdin_) stdin_->close(ignored);
    channel_->on_message(nullptr);
    channel_->on_close(nullptr);
  }

  asio::io_context& io_;
  ExecOptions options_;
  std::function<void(pid_t)> started_;
  std::shared_ptr<apiserver::MessageChannel> channel_;
  std::vector<std::unique_ptr<Output>> outputs_;
  std::unique_ptr<asio::posix::stream_descriptor> stdin_;
  std::deque<std::string> stdin_queue_;
  bool stdin_closing_ = false;
  int terminal_ = -1;  // the pty's master (owned by its Output), for resizes
  pid_t pid_ = 0;
  std::unique_ptr<runtime::ExitWatcher> watcher_;
  std::optional<int> exit_code_;
  asio::steady_timer grace_;
  bool done_ = false;
};

}  // namespace

Result<ExecOptions> exec_options_of(const apiserver::Request& request) {
  ExecOptions options;
  options.container = request.param("container");
  for (const auto& [key, value] : request.query_list)
    if (key == "command") options.command.push_back(value);
  // Absent, stdout and stderr are on (as in the API server's PodExecOptions), the others off.
  auto flag_or = [&](const char* key, bool absent) {
    return request.query.count(key) ? request.flag(key) : absent;
  };
  options.stdin = flag_or("stdin", false);
  options.stdout = flag_or("stdout", true);
  options.stderr = flag_or("stderr", true);
  options.tty = flag_or("tty", false);
  if (options.command.empty() || options.command[0].empty())
    return Error::bad_request("you must specify at least one command for the container");
  if (!options.stdin && !options.stdout && !options.stderr)
    return Error::bad_request("you must specify at least 1 of stdin, stdout, stderr");
  if (options.tty && options.stderr) options.stderr = false;  // a terminal has one output
  return options;
}

std::optional<TerminalSize> terminal_size_of(std::string_view message) {
  auto size = json::parse(message, nullptr, false);
  if (!size.is_object()) return std::nullopt;
  auto dimension = [&](const char* key) -> std::optional<unsigned short> {
    auto it = size.find(key);
    if (it == size.end() || !it->is_number_unsigned() || it->get<uint64_t>() > 0xffff)
      return std::nullopt;
    return static_cast<unsigned short>(it->get<uint64_t>());
  };
  auto width = dimension("Width"), height = dimension("Height");
  if (!width || !height) return std::nullopt;
  return TerminalSize{*width, *height};
}

Result<std::string> exec_protocol_of(const apiserver::Request& request) {
  if (!request.websocket)
    return Error::bad_request(
        "kinda runs pods/exec over WebSocket (subprotocol v5.channel.k8s.io, as kubectl 1.30 and "
        "later and client libraries speak it), not over SPDY");
  for (const auto& offered : request.websocket_protocols)
    if (offered == "v5.channel.k8s.io" || offered == "v4.channel.k8s.io") return offered;
  std::string offered;
  for (const auto& p : request.websocket_protocols) offered += (offered.empty() ? "" : " ") + p;
  return Error::bad_request("requested protocol(s) are not supported: [" + offered +
                            "]; supports [v5.channel.k8s.io v4.channel.k8s.io]");
}

apiserver::Reply exec_reply(asio::io_context& io, runtime::ProcessSpec spec,
                            const ExecOptions& options, const std::string& protocol,
                            std::function<void(pid_t)> started) {
  apiserver::Reply reply;
  reply.websocket_protocol = protocol;
  reply.websocket = [&io, spec = std::move(spec), options, started = std::move(started)](
                        std::shared_ptr<apiserver::MessageChannel> channel) {
    std::make_shared<ExecSession>(io, options, started)->start(std::move(channel), spec);
  };
  return reply;
}

}  // namespace kinda::kubelet
