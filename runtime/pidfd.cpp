#include "runtime/pidfd.hpp"

#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace kinda::runtime {
namespace {

int wait_status_from(const siginfo_t& info) {
  switch (info.si_code) {
    case CLD_EXITED:
      return W_EXITCODE(info.si_status, 0);
    case CLD_DUMPED:
      return W_EXITCODE(0, info.si_status) | WCOREFLAG;
    default:
      return W_EXITCODE(0, info.si_status);
  }
}

}  // namespace

int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

ExitCheck check_exit(int pidfd) {
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_PIDFD, pidfd, &info, WEXITED | WNOHANG);
  } while (rc < 0 && errno == EINTR);
  if (rc != 0) return ExitCheck{true, std::nullopt};
  if (info.si_pid == 0) return ExitCheck{false, std::nullopt};
  return ExitCheck{true, wait_status_from(info)};
}

}  // namespace kinda::runtime
