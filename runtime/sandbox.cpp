#include "runtime/sandbox.hpp"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>

#include <spdlog/spdlog.h>

#include "runtime/pod_root.hpp"
#include "runtime/process.hpp"
#include "runtime/syscall.hpp"
#include "runtime/user_namespace.hpp"

namespace kinda::runtime {
namespace {

constexpr int kReadyFd = 3;
constexpr std::chrono::milliseconds kReadyTimeout = std::chrono::seconds(10);
constexpr const char* kErrorPrefix = "error: ";

// The holder's half of the handshake. Run by hand without fd 3, the writes just fail.
void tell_starter(const std::string& line) {
  const std::string text = line + "\n";
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(kReadyFd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += n;
  }
}

int fail(const std::string& message) {
  spdlog::error("sandbox: {}", message);
  tell_starter(kErrorPrefix + message);
  return 1;
}

// The starter's half: the first line the holder writes; "" when it exits without one; nullopt when
// it says nothing before the deadline.
std::optional<std::string> read_ready_line(int fd, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd readable{fd, POLLIN, 0};
    int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return std::nullopt;
    char buffer[512];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line;
    line.append(buffer, n);
    if (size_t end = line.find('\n'); end != std::string::npos) return line.substr(0, end);
  }
}

// Without the privilege to unshare them directly (not root: EPERM), mount and UTS namespaces are
// made inside a user namespace of our own, as probe_isolation() found possible.
Status enter_namespaces() {
  if (::unshare(CLONE_NEWNS | CLONE_NEWUTS) == 0) return Ok{};
  if (errno != EPERM) return errno_error("unshare mount and UTS namespaces", errno);
  if (const char* step = enter_user_namespace(own_id_maps())) {
    const int err = errno;
    return errno_error("unshare mount and UTS namespaces: not permitted, and " + std::string(step),
                       err);
  }
  spdlog::info("sandbox: unprivileged, using a user namespace");
  if (::unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) {
    return errno_error("unshare mount and UTS namespaces in a user namespace", errno);
  }
  return Ok{};
}

}  // namespace

int sandbox_main(const std::string& spec_path) {
  auto spec = read_sandbox_spec(spec_path);
  if (!spec) return fail(spec.error().message);

  // Blocked before "ok" is sent, so a stop that follows at once still ends in a clean exit.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  if (auto entered = enter_namespaces(); !entered) return fail(entered.error().message);
  // Private before anything is mounted, so no mount made here ever propagates to the host.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return fail(errno_error("make / private", errno).message);
  }
  if (::sethostname(spec->hostname.data(), spec->hostname.size()) != 0) {
    return fail(errno_error("set hostname \"" + spec->hostname + "\"", errno).message);
  }
  if (auto entered = enter_pod_root(*spec); !entered) return fail(entered.error().message);

  spdlog::info("sandbox for pod {} ready", spec->hostname);
  tell_starter("ok");
  ::close(kReadyFd);
  int signal = 0;
  while (::sigwait(&stop_signals, &signal) != 0) {
  }
  spdlog::info("sandbox for pod {} stopping on signal {}", spec->hostname, signal);
  return 0;
}

Result<pid_t> start_sandbox(const SandboxSpec& spec, const std::string& self_exe) {
  const std::string spec_path = spec.dir + "/sandbox.json";
  if (auto written = write_sandbox_spec(spec, spec_path); !written) return written.error();
  auto ready = make_pipe();
  if (!ready) return ready.error();

  ProcessSpec holder;
  holder.argv = {self_exe, "sandbox", spec_path};
  holder.env = caller_environment();
  holder.working_dir = "/";
  holder.log_path = spec.dir + "/sandbox.log";
  auto pid = spawn(holder, ChildFds{.ready = ready->write.get()});
  if (!pid) return pid.error();
  ready->write.reset();

  auto line = read_ready_line(ready->read.get(), kReadyTimeout);
  if (line && *line == "ok") return *pid;

  ::kill(*pid, SIGKILL);
  while (::waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  std::string why;
  if (!line) {
    why = "not ready after " + std::to_string(kReadyTimeout.count() / 1000) + "s";
  } else if (line->rfind(kErrorPrefix, 0) == 0) {
    why = line->substr(std::string(kErrorPrefix).size());
  } else {
    why = "exited before it was ready";
  }
  return Error::internal("sandbox for pod \"" + spec.hostname + "\" failed: " + why + " (see " +
                         holder.log_path + ")");
}

}  // namespace kinda::runtime
