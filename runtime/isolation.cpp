#include "runtime/isolation.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "runtime/syscall.hpp"
#include "runtime/user_namespace.hpp"

namespace kinda::runtime {
namespace {

constexpr char kProbeHostname[] = "kinda-probe";

struct ProbeFailure {
  const char* step = nullptr;  // a string literal, so its address means the same in the parent
  int err = 0;
};

// Runs `body` in a forked child, which reports its first failure through a pipe; nullopt means
// every step succeeded.
template <class Body>
std::optional<ProbeFailure> probe_in_child(Body body) {
  auto report = make_pipe();
  if (!report) return ProbeFailure{"create a pipe", errno};
  pid_t pid = ::fork();
  if (pid < 0) return ProbeFailure{"fork", errno};
  if (pid == 0) {
    report->read.reset();
    ProbeFailure failure = body();
    if (failure.step) {
      [[maybe_unused]] ssize_t written = ::write(report->write.get(), &failure, sizeof failure);
    }
    ::_exit(failure.step ? 1 : 0);
  }
  report->write.reset();
  ProbeFailure failure;
  ssize_t n;
  do {
    n = ::read(report->read.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n == sizeof failure) return failure;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return ProbeFailure{"run the probe", ECHILD};
  return std::nullopt;
}

ProbeFailure failed(const char* step) {
  return {step, errno};
}

std::optional<ProbeFailure> probe_plain_namespaces() {
  return probe_in_child([] {
    if (::unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) {
      return failed("unshare mount and UTS namespaces");
    }
    return ProbeFailure{};
  });
}

std::optional<ProbeFailure> probe_user_namespaces() {
  const IdMaps maps = own_id_maps();
  return probe_in_child([&maps] {
    if (const char* step = enter_user_namespace(maps)) return failed(step);
    if (::unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) {
      return failed("unshare mount and UTS namespaces in a user namespace");
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      return failed("make / private in a user namespace");
    }
    if (::sethostname(kProbeHostname, sizeof kProbeHostname - 1) != 0) {
      return failed("set the hostname in a user namespace");
    }
    return ProbeFailure{};
  });
}

std::string describe(const ProbeFailure& failure) {
  return errno_error(failure.step, failure.err).message;
}

std::optional<long> sysctl(const std::string& name) {
  std::ifstream in("/proc/sys/" + name);
  long value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

// The settings that commonly forbid unprivileged user namespaces, named so a user can change them.
std::string userns_policy() {
  if (sysctl("user/max_user_namespaces") == 0) return "user.max_user_namespaces is 0";
  if (::geteuid() != 0 && sysctl("kernel/unprivileged_userns_clone") == 0) {
    return "kernel.unprivileged_userns_clone is 0";
  }
  if (sysctl("kernel/apparmor_restrict_unprivileged_userns") == 1) {
    return "kernel.apparmor_restrict_unprivileged_userns is 1";
  }
  return "";
}

}  // namespace

IsolationSupport probe_isolation() {
  auto plain = probe_plain_namespaces();
  if (!plain) return {Isolation::Namespaces, ""};
  const std::string why_not_plain = describe(*plain);
  auto user = probe_user_namespaces();
  if (!user) return {Isolation::UserNamespaces, why_not_plain};
  std::string why_not_user = describe(*user);
  if (std::string policy = userns_policy(); !policy.empty()) why_not_user += " (" + policy + ")";
  return {Isolation::None, why_not_plain + "; " + why_not_user};
}

Isolation detect_isolation() {
  return probe_plain_namespaces() ? Isolation::None : Isolation::Namespaces;
}

bool has_pod_namespaces(Isolation isolation) {
  return isolation != Isolation::None;
}

const char* to_string(Isolation isolation) {
  switch (isolation) {
    case Isolation::Namespaces:
      return "namespaces";
    case Isolation::UserNamespaces:
      return "namespaces-userns";
    case Isolation::None:
      break;
  }
  return "none";
}

std::string to_string(const IsolationSupport& support) {
  if (support.mode != Isolation::None) return to_string(support.mode);
  return std::string(to_string(support.mode)) + " (" + support.reason + ")";
}

}  // namespace kinda::runtime
