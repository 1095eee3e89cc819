// Reports, once, that a process has ended, through a pidfd on the caller's io_context: no polling
// and no SIGCHLD handler. Our own children are reaped and their wait status passed on; for other
// processes (re-adopted after a daemon restart) the status is unknown and passed as nullopt.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>

namespace boost::asio {
class io_context;
}

namespace kinda::runtime {

class ExitWatcher {
 public:
  using Callback = std::function<void(std::optional<int> wait_status)>;

  // A pid that no longer exists is reported as ended (nullopt) from the io_context, never inline.
  // To watch a re-adopted process, construct the watcher first and then check same_process(): the
  // pidfd pins the process, so a pid recycled before construction is caught by that check.
  ExitWatcher(boost::asio::io_context& io, pid_t pid, Callback on_exit);
  // Cancels the callback if it has not run. May be called from inside the callback. Must run
  // before the io_context is destroyed, like any Asio I/O object.
  ~ExitWatcher();
  ExitWatcher(const ExitWatcher&) = delete;
  ExitWatcher& operator=(const ExitWatcher&) = delete;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kinda::runtime
