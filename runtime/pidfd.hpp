// Process exits through pidfds: a pidfd pins one process (never a recycled pid) and turns readable
// when it exits; check_exit then reaps our own children and reports their status.
#pragma once

#include <sys/types.h>

#include <optional>

namespace kinda::runtime {

// pidfd_open(2); the descriptor is close-on-exec; -1 with errno on failure. glibc 2.36 declares
// pidfd_open without C linkage for C++, hence the direct system call.
int open_pidfd(pid_t pid);

struct ExitCheck {
  bool exited = false;             // false only on a spurious wake-up
  std::optional<int> wait_status;  // waitpid-style status; nullopt when not our child
};

// For a pidfd that turned readable: our child is reaped and its status returned; any other process
// (re-adopted after a restart, or already reaped) has exited with unknown status.
ExitCheck check_exit(int pidfd);

}  // namespace kinda::runtime
