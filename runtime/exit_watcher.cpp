#include "runtime/exit_watcher.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

#include "runtime/pidfd.hpp"

namespace kinda::runtime {

// Shared with the pending wait, so a watcher destroyed mid-wait leaves the handler something valid.
struct ExitWatcher::State : std::enable_shared_from_this<State> {
  explicit State(boost::asio::io_context& io) : pidfd(io) {}

  boost::asio::posix::stream_descriptor pidfd;
  Callback on_exit;

  void arm() {
    pidfd.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->on_readable(ec);
                     });
  }

  // A pidfd turns readable once the process has exited.
  void on_readable(const boost::system::error_code& ec) {
    if (ec || !on_exit) return;
    ExitCheck check = check_exit(pidfd.native_handle());
    if (!check.exited) {
      arm();
      return;
    }
    report(check.wait_status);
  }

  // Moves the callback out first, so the watcher may be destroyed from inside it.
  void report(std::optional<int> wait_status) {
    Callback callback = std::exchange(on_exit, nullptr);
    if (callback) callback(wait_status);
  }
};

ExitWatcher::ExitWatcher(boost::asio::io_context& io, pid_t pid, Callback on_exit)
    : state_(std::make_shared<State>(io)) {
  state_->on_exit = std::move(on_exit);
  int fd = pid > 0 ? open_pidfd(pid) : -1;
  if (fd < 0) {
    boost::asio::post(io, [state = state_] { state->report(std::nullopt); });
    return;
  }
  state_->pidfd.assign(fd);
  state_->arm();
}

ExitWatcher::~ExitWatcher() {
  state_->on_exit = nullptr;
  boost::system::error_code ignored;
  state_->pidfd.close(ignored);
}

}  // namespace kinda::runtime
