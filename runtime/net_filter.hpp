// The seccomp filter that hands a pod's socket calls to its supervisor (net_supervisor.hpp):
// bind, connect, listen, sendto with a destination, sendmsg and sendmmsg stop in the kernel until
// the supervisor has answered them (SECCOMP_RET_USER_NOTIF). Everything else, reads and writes on
// connected sockets included, never leaves the kernel, so bulk traffic costs nothing extra.
// io_uring is refused (ENOSYS, as Docker's default profile does): its socket operations would not
// pass the filter, and programs fall back to plain system calls.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace kinda::runtime {

// Built before fork: installing it between fork and exec must not allocate.
std::vector<sock_filter> network_filter_program();

// Installs the filter on the calling thread (and what it execs) and returns the listener
// descriptor, or -1 with errno. Without CAP_SYS_ADMIN in the current user namespace it sets
// no_new_privs first, as seccomp(2) requires. Async-signal-safe.
int install_network_filter(const std::vector<sock_filter>& program);

}  // namespace kinda::runtime
