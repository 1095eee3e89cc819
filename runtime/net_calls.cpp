#include "runtime/net_calls.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "runtime/net_policy.hpp"
#include "runtime/syscall.hpp"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace kinda::runtime {
namespace {

constexpr unsigned kPidfdThread = O_EXCL;  // PIDFD_THREAD: a pidfd for one thread (Linux 6.9+)
constexpr size_t kMaxMessages = 1024;      // UIO_MAXIOV, sendmmsg's own bound

struct Call {
  int listener;
  const seccomp_notif& notif;
  seccomp_notif_resp& resp;
  in_addr pod;
};

void go_on(Call& c) {
  c.resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
}
void fail(Call& c, int err) {
  c.resp.error = -err;
}

bool still_waiting(const Call& c) {
  auto id = c.notif.id;
  return ::ioctl(c.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

bool read_memory(pid_t pid, uint64_t address, void* out, size_t length) {
  iovec local{out, length};
  iovec remote{reinterpret_cast<void*>(address), length};
  return ::process_vm_readv(pid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(length);
}

// process_vm_writev honours page protections; /proc/<pid>/mem writes like a debugger does, so a
// sockaddr in read-only data (a `static const` one) can be rewritten too (copy-on-write).
bool write_memory(pid_t pid, uint64_t address, const void* data, size_t length) {
  iovec local{const_cast<void*>(data), length};
  iovec remote{reinterpret_cast<void*>(address), length};
  if (::process_vm_writev(pid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(length))
    return true;
  UniqueFd mem(::open(("/proc/" + std::to_string(pid) + "/mem").c_str(), O_RDWR | O_CLOEXEC));
  return mem.valid() && ::pwrite(mem.get(), data, length, static_cast<off_t>(address)) ==
                            static_cast<ssize_t>(length);
}

std::optional<InetAddress> read_address(pid_t pid, uint64_t address, uint64_t length) {
  if (address == 0 || length < sizeof(sa_family_t)) return std::nullopt;
  sockaddr_storage storage{};
  size_t n = std::min<uint64_t>(length, sizeof storage);
  if (!read_memory(pid, address, &storage, n)) return std::nullopt;
  return inet_address_of(&storage, n);
}

pid_t thread_group_of(pid_t tid) {
  std::ifstream status("/proc/" + std::to_string(tid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Tgid:", 0) == 0) return static_cast<pid_t>(std::atol(line.c_str() + 5));
  return tid;
}

// pidfds of the threads that made calls lately. A cached pidfd pins the task it was opened for:
// if that thread has exited and its number went to the thread now calling, pidfd_getfd fails
// (the old task has no descriptors left) and a fresh one is opened and checked.
class PidfdCache {
 public:
  int get(pid_t tid) {
    if (auto it = fds_.find(tid); it != fds_.end()) return it->second.get();
    return -1;
  }
  int open(pid_t tid) {
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, tid, kPidfdThread)));
    if (!pidfd.valid() && errno == EINVAL)
      pidfd = UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, thread_group_of(tid), 0)));
    if (!pidfd.valid()) return -1;
    if (fds_.size() >= kMaxCached) fds_.clear();
    int fd = pidfd.get();
    fds_[tid] = std::move(pidfd);
    return fd;
  }
  void forget(pid_t tid) { fds_.erase(tid); }

 private:
  static constexpr size_t kMaxCached = 256;
  std::unordered_map<pid_t, UniqueFd> fds_;
};

// The program's socket, duplicated into this process; invalid when the call is gone.
UniqueFd take_socket(const Call& c, int fd) {
  thread_local PidfdCache pidfds;
  const pid_t tid = static_cast<pid_t>(c.notif.pid);
  if (int cached = pidfds.get(tid); cached >= 0) {
    UniqueFd sock(static_cast<int>(::syscall(SYS_pidfd_getfd, cached, fd, 0)));
    if (sock.valid() || errno != ESRCH) return sock;
    pidfds.forget(tid);
  }
  int pidfd = pidfds.open(tid);
  // Checked after the pidfd pins the process: the id proves the pid was not recycled meanwhile.
  if (pidfd < 0 || !still_waiting(c)) {
    pidfds.forget(tid);
    return UniqueFd();
  }
  return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, fd, 0)));
}

bool is_v6only(int sock) {
  int value = 0;
  socklen_t length = sizeof value;
  return ::getsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &value, &length) == 0 && value != 0;
}

int bind_to(int sock, const InetAddress& address) {
  sockaddr_storage storage;
  socklen_t length = to_sockaddr(address, storage);
  return ::bind(sock, reinterpret_cast<sockaddr*>(&storage), length) == 0 ? 0 : errno;
}

// Performs a bind the policy planned; returns 0 or the errno.
int bind_as_planned(int sock, const BindPlan& plan) {
  if (plan.freebind) {
    int one = 1;
    ::setsockopt(sock, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof one);
  }
  return bind_to(sock, plan.address);
}

// Binds an unbound socket to the pod's address before it reaches a peer. One already bound
// (by the program or an earlier call) answers EINVAL and stays as it is.
void bind_source_if_unbound(int sock, const InetAddress& source) {
  // A TCP port is then chosen at connect(2), by the 4-tuple, as for an unbound socket; UDP
  // ignores the option.
  int one = 1;
  ::setsockopt(sock, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  bind_to(sock, source);
}

void answer_bind(Call& c) {
  const auto& args = c.notif.data.args;
  auto requested = read_address(c.notif.pid, args[1], args[2]);
  if (!requested) return go_on(c);  // not IPv4/IPv6 (Unix, netlink…): the kernel's business
  UniqueFd sock = take_socket(c, static_cast<int>(args[0]));
  if (!sock.valid()) return fail(c, errno == ESRCH ? ESRCH : EBADF);
  const bool v6only = requested->family == AF_INET6 && is_v6only(sock.get());
  auto plan = plan_bind(*requested, v6only, c.pod);
  if (plan.error) return fail(c, plan.error);
  if (int err = bind_as_planned(sock.get(), plan)) return fail(c, err);
  c.resp.val = 0;
}

void answer_listen(Call& c) {
  UniqueFd sock = take_socket(c, static_cast<int>(c.notif.data.args[0]));
  if (!sock.valid()) return go_on(c);  // not a descriptor: listen(2) says so itself
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(sock.get(), reinterpret_cast<sockaddr*>(&bound), &length) != 0) return go_on(c);
  auto address = inet_address_of(&bound, length);
  if (!address || address->port != 0) return go_on(c);
  // Unbound: listen(2) would pick the wildcard address; the pod's own goes first.
  auto plan =
      plan_listen(address->family, address->family == AF_INET6 && is_v6only(sock.get()), c.pod);
  if (int err = bind_as_planned(sock.get(), plan); err && err != EINVAL) return fail(c, err);
  go_on(c);
}

// A destination at `where` in the program's memory (a connect, sendto or sendmsg address).
struct Destination {
  uint64_t where = 0;
  InetAddress address;
};

// Binds the source and rewrites self-addressed destinations, then lets the call go on.
void answer_peers(Call& c, int fd, const std::vector<Destination>& destinations) {
  if (destinations.empty()) return go_on(c);
  UniqueFd sock = take_socket(c, fd);
  if (!sock.valid()) return go_on(c);  // not a descriptor: the call fails by itself
  // Only an IPv6 socket can be IPv6-only: a getsockopt saved on every IPv4 connect.
  bool v6only = false;
  for (const auto& d : destinations)
    if (d.address.family == AF_INET6) v6only = is_v6only(sock.get());
  bool bound = false;
  for (const auto& d : destinations) {
    auto plan = plan_peer(d.address, v6only, c.pod);
    if (plan.error) return fail(c, plan.error);
    if (plan.source && !bound) {
      bind_source_if_unbound(sock.get(), *plan.source);
      bound = true;
    }
    if (!plan.rewrite) continue;
    sockaddr_storage storage;
    socklen_t length = to_sockaddr(*plan.rewrite, storage);
    if (!write_memory(c.notif.pid, d.where, &storage, length)) {
      // Going on would reach the host's own 127.0.0.1 instead of the pod: refuse instead.
      spdlog::warn("network supervisor: cannot rewrite a destination of pid {}: {}", c.notif.pid,
                   std::strerror(errno));
      return fail(c, EACCES);
    }
  }
  go_on(c);
}

std::optional<Destination> destination_at(const Call& c, uint64_t where, uint64_t length) {
  auto address = read_address(c.notif.pid, where, length);
  if (!address) return std::nullopt;
  return Destination{where, *address};
}

void answer_connect_or_sendto(Call& c, uint64_t where, uint64_t length) {
  std::vector<Destination> destinations;
  if (auto d = destination_at(c, where, length)) destinations.push_back(*d);
  answer_peers(c, static_cast<int>(c.notif.data.args[0]), destinations);
}

void answer_sendmsg(Call& c) {
  msghdr msg{};
  if (!read_memory(c.notif.pid, c.notif.data.args[1], &msg, sizeof msg)) return go_on(c);
  std::vector<Destination> destinations;
  if (auto d = destination_at(c, reinterpret_cast<uint64_t>(msg.msg_name), msg.msg_namelen))
    destinations.push_back(*d);
  answer_peers(c, static_cast<int>(c.notif.data.args[0]), destinations);
}

void answer_sendmmsg(Call& c) {
  size_t count = std::min<uint64_t>(c.notif.data.args[2], kMaxMessages);
  std::vector<mmsghdr> messages(count);
  if (count == 0 ||
      !read_memory(c.notif.pid, c.notif.data.args[1], messages.data(), count * sizeof(mmsghdr)))
    return go_on(c);
  std::vector<Destination> destinations;
  for (const auto& m : messages)
    if (auto d = destination_at(c, reinterpret_cast<uint64_t>(m.msg_hdr.msg_name),
                                m.msg_hdr.msg_namelen))
      destinations.push_back(*d);
  answer_peers(c, static_cast<int>(c.notif.data.args[0]), destinations);
}

struct Buffers {
  std::vector<char> notif, resp;
  Buffers() {
    seccomp_notif_sizes sizes{};
    size_t n = sizeof(seccomp_notif), r = sizeof(seccomp_notif_resp);
    if (::syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0) {
      n = std::max<size_t>(n, sizes.seccomp_notif);
      r = std::max<size_t>(r, sizes.seccomp_notif_resp);
    }
    notif.resize(n);
    resp.resize(r);
  }
};

}  // namespace

bool answer_one_call(int listener, in_addr pod) {
  thread_local Buffers buffers;
  std::fill(buffers.notif.begin(), buffers.notif.end(), 0);  // RECV wants a zeroed buffer
  auto* notif = reinterpret_cast<seccomp_notif*>(buffers.notif.data());
  if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, notif) != 0) return false;
  std::fill(buffers.resp.begin(), buffers.resp.end(), 0);
  auto* resp = reinterpret_cast<seccomp_notif_resp*>(buffers.resp.data());
  resp->id = notif->id;
  Call c{listener, *notif, *resp, pod};
  const auto& args = notif->data.args;
  switch (notif->data.nr) {
    case __NR_bind:
      answer_bind(c);
      break;
    case __NR_listen:
      answer_listen(c);
      break;
    case __NR_connect:
      answer_connect_or_sendto(c, args[1], args[2]);
      break;
    case __NR_sendto:
      answer_connect_or_sendto(c, args[4], args[5]);
      break;
    case __NR_sendmsg:
      answer_sendmsg(c);
      break;
    case __NR_sendmmsg:
      answer_sendmmsg(c);
      break;
    default:
      go_on(c);
  }
  // ENOENT: the caller was interrupted or died meanwhile; nothing is owed to it.
  ::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
  return true;
}

void prefer_synchronous_wakeups(int listener) {
  ::ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
}

}  // namespace kinda::runtime
