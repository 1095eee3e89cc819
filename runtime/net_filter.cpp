#include "runtime/net_filter.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace kinda::runtime {
namespace {

#if defined(__x86_64__)
constexpr unsigned kNativeArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kNativeArch = AUDIT_ARCH_AARCH64;
#else
#error "the pod network filter knows x86_64 and aarch64"
#endif

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

constexpr unsigned kNotify = SECCOMP_RET_USER_NOTIF;
constexpr unsigned kAllow = SECCOMP_RET_ALLOW;
constexpr unsigned errno_action(int err) {
  return SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA);
}

sock_filter load(unsigned offset) {
  return BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset);
}
sock_filter ret(unsigned action) {
  return BPF_STMT(BPF_RET | BPF_K, action);
}
// When A == value, fall through to the next instruction; else skip `skip` instructions.
sock_filter if_equal(unsigned value, unsigned char skip) {
  return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, skip);
}

void answer(std::vector<sock_filter>& code, unsigned nr, unsigned action) {
  code.push_back(if_equal(nr, 1));
  code.push_back(ret(action));
}

}  // namespace

std::vector<sock_filter> network_filter_program() {
  std::vector<sock_filter> code;
  code.push_back(load(offsetof(seccomp_data, arch)));
#if defined(__x86_64__)
  // 32-bit programs reach sockets through other numbers (socketcall and its successors); refuse
  // those rather than let them bind where the supervisor cannot see. The rest of such a program
  // runs as before.
  std::vector<sock_filter> foreign;
  foreign.push_back(load(offsetof(seccomp_data, nr)));
  for (unsigned nr :
       {102u /* socketcall */, 361u /* bind */, 362u /* connect */, 363u /* listen */,
        369u /* sendto */, 370u /* sendmsg */, 345u /* sendmmsg */, 425u /* io_uring_setup */})
    answer(foreign, nr, errno_action(EPERM));
  foreign.push_back(ret(kAllow));
  code.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNativeArch,
                          static_cast<unsigned char>(foreign.size()), 0));
  code.insert(code.end(), foreign.begin(), foreign.end());
#else
  code.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kNativeArch, 1, 0));
  code.push_back(ret(kAllow));
#endif
  code.push_back(load(offsetof(seccomp_data, nr)));
#if defined(__x86_64__)
  // x32 system calls carry this bit; kinda does not supervise that ABI.
  code.push_back(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
  code.push_back(ret(errno_action(ENOSYS)));
#endif
  answer(code, __NR_bind, kNotify);
  answer(code, __NR_connect, kNotify);
  answer(code, __NR_listen, kNotify);
  answer(code, __NR_sendmsg, kNotify);
  answer(code, __NR_sendmmsg, kNotify);
  answer(code, __NR_io_uring_setup, errno_action(ENOSYS));
  // sendto with no destination is send(2) on a connected socket: the common, hot case.
  constexpr unsigned kDestination = offsetof(seccomp_data, args) + 4 * sizeof(__u64);
  code.push_back(if_equal(__NR_sendto, 6));
  code.push_back(load(kDestination));
  code.push_back(if_equal(0, 3));
  code.push_back(load(kDestination + 4));
  code.push_back(if_equal(0, 1));
  code.push_back(ret(kAllow));
  code.push_back(ret(kNotify));
  code.push_back(ret(kAllow));
  return code;
}

int install_network_filter(const std::vector<sock_filter>& program) {
  sock_fprog prog{static_cast<unsigned short>(program.size()),
                  const_cast<sock_filter*>(program.data())};
  auto install = [&](unsigned long flags) {
    return static_cast<int>(::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog));
  };
  // Once the supervisor has taken a call, only a fatal signal may interrupt it: a bind the
  // supervisor performed is then always reported to the program that asked for it.
  constexpr unsigned long kFlags =
      SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  int fd = install(kFlags);
  if (fd < 0 && errno == EINVAL) fd = install(SECCOMP_FILTER_FLAG_NEW_LISTENER);  // before 5.19
  if (fd < 0 && errno == EACCES) {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    fd = install(kFlags);
    if (fd < 0 && errno == EINVAL) fd = install(SECCOMP_FILTER_FLAG_NEW_LISTENER);
  }
  return fd;
}

}  // namespace kinda::runtime
