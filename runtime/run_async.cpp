#include "runtime/run_async.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "runtime/pidfd.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/syscall.hpp"

namespace kinda::runtime {
namespace {

using Done = std::function<void(Result<RunResult>)>;

// One command in flight, owned by its pending handlers (the pidfd wait holds it until the exit), so
// an io_context destroyed mid-run destroys it too, and the destructor ends the command's group.
// It waits on the pidfd itself rather than through an ExitWatcher, which it would have to own:
// that watcher's callback would then hold the run in a cycle no handler owns.
class AsyncRun : public std::enable_shared_from_this<AsyncRun> {
 public:
  AsyncRun(boost::asio::io_context& io, Done done)
      : output_(io), process_(io), timer_(io), done_(std::move(done)) {}

  ~AsyncRun() {
    if (pid_ > 0 && !finished_) {
      signal_group(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }

  AsyncRun(const AsyncRun&) = delete;
  AsyncRun& operator=(const AsyncRun&) = delete;

  // An Error means the command did not start and done has not run.
  Status start(ProcessSpec spec, std::chrono::milliseconds timeout) {
    auto pipe = make_pipe();
    if (!pipe) return pipe.error();
    // Only our end is non-blocking; the command writes to an ordinary blocking pipe.
    if (::fcntl(pipe->read.get(), F_SETFL, O_NONBLOCK) != 0) {
      return errno_error("make the output pipe non-blocking", errno);
    }
    spec.log_path.clear();
    spec.new_session = true;
    auto pid = spawn(spec, ChildFds{.output = pipe->write.get()});
    if (!pid) return pid.error();
    pid_ = *pid;
    pipe->write.reset();
    int pidfd = open_pidfd(pid_);
    if (pidfd < 0) return errno_error("watch \"" + spec.argv[0] + "\"", errno);

    process_.assign(pidfd);
    wait_for_exit();
    output_.assign(pipe->read.release());
    wait_for_output();
    timer_.expires_after(timeout);
    timer_.async_wait(
        [self = shared_from_this()](const boost::system::error_code& ec) { self->on_timeout(ec); });
    return Ok{};
  }

 private:
  void wait_for_exit() {
    process_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [self = shared_from_this()](const boost::system::error_code& ec) {
                          if (ec) return;
                          ExitCheck check = check_exit(self->process_.native_handle());
                          if (check.exited) {
                            self->on_exit(check.wait_status);
                          } else {
                            self->wait_for_exit();
                          }
                        });
  }

  void wait_for_output() {
    output_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                       [self = shared_from_this()](const boost::system::error_code& ec) {
                         if (ec) return;
                         self->drain_output();
                         if (self->output_.is_open()) self->wait_for_output();
                       });
  }

  // Reads what is there without blocking; past the cap it keeps reading so the command never
  // stalls on a full pipe. Closes the pipe at end of file.
  void drain_output() {
    char buffer[4096];
    while (output_.is_open()) {
      ssize_t n = ::read(output_.native_handle(), buffer, sizeof buffer);
      if (n > 0) {
        size_t room = kMaxRunOutput - result_.output.size();
        result_.output.append(buffer, std::min(room, static_cast<size_t>(n)));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && errno == EAGAIN) {
        return;
      } else {
        boost::system::error_code ignored;
        output_.close(ignored);
      }
    }
  }

  void on_timeout(const boost::system::error_code& ec) {
    if (ec || finished_) return;
    result_.timed_out = true;
    signal_group(pid_, SIGKILL);
  }

  // Everything the command wrote is already in the pipe once it has exited; a background
  // grandchild may hold the pipe open for longer, so end of file is not waited for.
  void on_exit(std::optional<int> wait_status) {
    drain_output();
    finished_ = true;
    result_.exit_code = wait_status ? exit_code_from_wait_status(*wait_status) : -1;
    boost::system::error_code ignored;
    output_.close(ignored);
    process_.close(ignored);
    timer_.cancel();
    Done done = std::exchange(done_, nullptr);
    done(std::move(result_));
  }

  boost::asio::posix::stream_descriptor output_;
  boost::asio::posix::stream_descriptor process_;  // pidfd
  boost::asio::steady_timer timer_;
  Done done_;
  pid_t pid_ = 0;
  bool finished_ = false;
  RunResult result_;
};

}  // namespace

void run_async(boost::asio::io_context& io, ProcessSpec spec, std::chrono::milliseconds timeout,
               std::function<void(Result<RunResult>)> done) {
  auto run = std::make_shared<AsyncRun>(io, done);
  auto started = run->start(std::move(spec), timeout);
  if (!started) {
    boost::asio::post(io, [done = std::move(done), error = started.error()] { done(error); });
  }
}

}  // namespace kinda::runtime
