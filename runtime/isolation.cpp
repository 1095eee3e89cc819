#include "runtime/isolation.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace kinda::runtime {

Isolation detect_isolation() {
  pid_t pid = ::fork();
  if (pid < 0) return Isolation::None;
  if (pid == 0) ::_exit(::unshare(CLONE_NEWNS | CLONE_NEWUTS) == 0 ? 0 : 1);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Isolation::None;
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? Isolation::Namespaces : Isolation::None;
}

const char* to_string(Isolation isolation) {
  return isolation == Isolation::Namespaces ? "namespaces" : "none";
}

}  // namespace kinda::runtime
