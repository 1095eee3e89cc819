#include "runtime/process.hpp"

#include <filesystem>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "runtime/net_filter.hpp"
#include "runtime/net_handoff.hpp"
#include "runtime/pidfd.hpp"
#include "runtime/syscall.hpp"

namespace kinda::runtime {
namespace {

constexpr const char* kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

// What the child was doing when it failed; sent with errno to the parent over a CLOEXEC pipe, so
// a successful exec closes the pipe and the parent reads nothing.
enum class Step : int {
  Session,
  UserNamespace,
  MountNamespace,
  UtsNamespace,
  Cgroup,
  OwnMountNamespace,
  ReadOnlyMount,  // index: which of spec.read_only_mounts
  WorkingDir,
  Stdio,
  NetworkFilter,
  NetworkListener,  // not a failure: the listener's number, for the parent to take
  Credentials,      // index: the CredentialStep
  Exec
};

struct ChildFailure {
  Step step;
  int err;
  size_t index;  // which of spec.join_cgroups, for Step::Cgroup; the CredentialStep
};

// Everything the child needs, prepared before fork: between fork and exec the child may only make
// async-signal-safe calls, so it must not allocate.
struct LaunchPlan {
  std::vector<std::string> candidates;  // program paths to try, in PATH order
  std::vector<const char*> candidate_ptrs;
  std::vector<char*> argv;
  std::vector<char*> envp;
  const char* working_dir = nullptr;
  int stdin_fd = -1;
  int output_fd = -1;
  int error_fd = -1;  // stderr apart from stdout
  int ready_fd = -1;
  bool controlling_terminal = false;  // stdin is a terminal that becomes the session's
  int user_ns = -1;
  int mount_ns = -1;
  int uts_ns = -1;
  bool own_mount_namespace = false;
  std::vector<const char*> read_only_mounts;
  std::vector<int> cgroup_procs;  // open for writing
  bool new_session = true;
  const std::vector<sock_filter>* network_filter = nullptr;  // the pod network, when set
  int network_go = -1;         // read end: the parent has the listener, exec may go on
  int network_go_parent = -1;  // the parent's write end, closed first thing in the child
  const Credentials* credentials = nullptr;
};

std::string search_path(const std::vector<std::string>& env) {
  for (const auto& entry : env) {
    if (entry.rfind("PATH=", 0) == 0) return entry.substr(5);
  }
  const char* caller_path = std::getenv("PATH");
  return caller_path ? caller_path : kDefaultPath;
}

// The same order execvp uses; an empty PATH element means the working directory.
std::vector<std::string> exec_candidates(const std::string& program, const std::string& path) {
  if (program.find('/') != std::string::npos) return {program};
  std::vector<std::string> candidates;
  size_t start = 0;
  while (true) {
    size_t end = path.find(':', start);
    std::string dir =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    candidates.push_back((dir.empty() ? std::string(".") : dir) + "/" + program);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return candidates;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

[[noreturn]] void fail_child(int report_fd, Step step, int err, size_t index = 0) {
  ChildFailure failure{step, err, index};
  [[maybe_unused]] ssize_t written = ::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

// Moves a descriptor out of 0..3 so the dup2 calls below cannot overwrite one source with another.
int above_stdio(int fd) {
  return fd >= 0 && fd <= 3 ? ::fcntl(fd, F_DUPFD_CLOEXEC, 4) : fd;
}

// A read-only bind remount replaces the mount's flags, so it keeps the ones it has (a user
// namespace may not drop flags a more privileged one locked). statfs and mount only: this runs
// between fork and exec.
bool remount_read_only_in_child(const char* path) {
  struct statfs fs {};
  if (::statfs(path, &fs) != 0) return false;
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
  if (fs.f_flags & ST_NOSUID) flags |= MS_NOSUID;
  if (fs.f_flags & ST_NODEV) flags |= MS_NODEV;
  if (fs.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
  if (fs.f_flags & ST_NOATIME) flags |= MS_NOATIME;
  if (fs.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (fs.f_flags & ST_RELATIME) flags |= MS_RELATIME;
  if (!(fs.f_flags & (ST_NOATIME | ST_RELATIME))) flags |= MS_STRICTATIME;
  return ::mount(nullptr, path, nullptr, flags, nullptr) == 0;
}

[[noreturn]] void run_child(const LaunchPlan& plan, int report_fd) {
  // Only the parent may hold the write end: if it dies before releasing us, our read sees EOF
  // and we exit, instead of waiting forever with the parent's descriptors (its daemon lock among
  // them) held open.
  if (plan.network_go_parent >= 0) ::close(plan.network_go_parent);
  report_fd = above_stdio(report_fd);

  // Dispositions set to SIG_IGN and blocked signals survive exec; a container must not inherit
  // them.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &default_action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  if (plan.new_session && ::setsid() < 0) fail_child(report_fd, Step::Session, errno);
  // The user namespace first: it owns the others, and joining it is what grants the capabilities
  // needed to join them.
  if (plan.user_ns >= 0 && ::setns(plan.user_ns, CLONE_NEWUSER) != 0) {
    fail_child(report_fd, Step::UserNamespace, errno);
  }
  if (plan.mount_ns >= 0 && ::setns(plan.mount_ns, CLONE_NEWNS) != 0) {
    fail_child(report_fd, Step::MountNamespace, errno);
  }
  if (plan.uts_ns >= 0 && ::setns(plan.uts_ns, CLONE_NEWUTS) != 0) {
    fail_child(report_fd, Step::UtsNamespace, errno);
  }
  if (plan.own_mount_namespace) {
    if (::unshare(CLONE_NEWNS) != 0) fail_child(report_fd, Step::OwnMountNamespace, errno);
    for (size_t i = 0; i < plan.read_only_mounts.size(); ++i) {
      if (!remount_read_only_in_child(plan.read_only_mounts[i])) {
        fail_child(report_fd, Step::ReadOnlyMount, errno, i);
      }
    }
  }
  for (size_t i = 0; i < plan.cgroup_procs.size(); ++i) {
    if (::write(plan.cgroup_procs[i], "0", 1) != 1) fail_child(report_fd, Step::Cgroup, errno, i);
  }
  if (plan.working_dir && ::chdir(plan.working_dir) != 0) {
    fail_child(report_fd, Step::WorkingDir, errno);
  }

  int in = above_stdio(plan.stdin_fd);
  int out = above_stdio(plan.output_fd);
  int err_out = above_stdio(plan.error_fd);
  int ready = above_stdio(plan.ready_fd);
  if (plan.stdin_fd >= 0 && ::dup2(in, 0) < 0) fail_child(report_fd, Step::Stdio, errno);
  if (plan.output_fd >= 0 && (::dup2(out, 1) < 0 || ::dup2(out, 2) < 0)) {
    fail_child(report_fd, Step::Stdio, errno);
  }
  if (plan.error_fd >= 0 && ::dup2(err_out, 2) < 0) fail_child(report_fd, Step::Stdio, errno);
  if (plan.controlling_terminal && ::ioctl(0, TIOCSCTTY, 0) < 0) {
    fail_child(report_fd, Step::Stdio, errno);
  }
  if (plan.ready_fd >= 0 && ::dup2(ready, 3) < 0) fail_child(report_fd, Step::Stdio, errno);
  // Descriptors the caller opened without O_CLOEXEC must not leak into containers.
  ::close_range(plan.ready_fd >= 0 ? 4 : 3, ~0U, CLOSE_RANGE_CLOEXEC);

  // Last before exec: from here on every socket call waits for the pod's supervisor.
  if (plan.network_filter) {
    int go = plan.network_go;
    int listener = install_network_filter(*plan.network_filter);
    if (listener < 0) fail_child(report_fd, Step::NetworkFilter, errno);
    ChildFailure taken{Step::NetworkListener, 0, static_cast<size_t>(listener)};
    if (::write(report_fd, &taken, sizeof taken) != sizeof taken) ::_exit(127);
    char byte;
    if (::read(go, &byte, 1) != 1) ::_exit(127);  // the parent could not hand it over
    ::close(listener);
    ::close(go);
  }
  // The identity last: the filter went in with our privileges (seccomp needs CAP_SYS_ADMIN or
  // no_new_privs), and it intercepts only network calls, so these are not held up.
  if (plan.credentials) {
    auto step = apply_credentials(*plan.credentials);
    if (step != CredentialStep::None)
      fail_child(report_fd, Step::Credentials, errno, static_cast<size_t>(step));
  }

  int err = ENOENT;
  for (const char* candidate : plan.candidate_ptrs) {
    ::execve(candidate, plan.argv.data(), plan.envp.data());
    if (errno == EACCES) {
      err = EACCES;  // keep looking, like execvp, but report it if nothing else runs
    } else if (errno != ENOENT && errno != ENOTDIR) {
      err = errno;
      break;
    }
  }
  fail_child(report_fd, Step::Exec, err);
}

Error describe_failure(const ProcessSpec& spec, const std::string& path,
                       const ChildFailure& failure) {
  const std::string start = "cannot start \"" + spec.argv[0] + "\"";
  const std::string holder = std::to_string(spec.join_namespaces_of);
  switch (failure.step) {
    case Step::Session:
      return errno_error(start + ": setsid", failure.err);
    case Step::UserNamespace:
      return errno_error(start + ": join the user namespace of sandbox pid " + holder, failure.err);
    case Step::MountNamespace:
      return errno_error(start + ": join the mount namespace of sandbox pid " + holder,
                         failure.err);
    case Step::UtsNamespace:
      return errno_error(start + ": join the UTS namespace of sandbox pid " + holder, failure.err);
    case Step::Cgroup:
      return errno_error(
          start + ": join cgroup " +
              (failure.index < spec.join_cgroups.size() ? spec.join_cgroups[failure.index]
                                                        : std::string("?")),
          failure.err);
    case Step::OwnMountNamespace:
      return errno_error(start + ": unshare a mount namespace of its own", failure.err);
    case Step::ReadOnlyMount:
      return errno_error(
          start + ": readOnlyRootFilesystem: make " +
              (failure.index < spec.read_only_mounts.size() ? spec.read_only_mounts[failure.index]
                                                            : std::string("?")) +
              " read-only",
          failure.err);
    case Step::WorkingDir:
      return errno_error(start + ": working directory \"" + spec.working_dir + "\"", failure.err);
    case Step::Stdio:
      return errno_error(start + ": redirect standard streams", failure.err);
    case Step::NetworkFilter:
    case Step::NetworkListener:
      return errno_error(start + ": install the pod network filter (seccomp)", failure.err);
    case Step::Credentials:
      return errno_error(start + ": take the container's identity: " +
                             to_string(static_cast<CredentialStep>(failure.index)),
                         failure.err);
    case Step::Exec:
      if (failure.err == ENOENT && spec.argv[0].find('/') == std::string::npos) {
        return Error::internal(start + ": executable file not found in $PATH (" + path + ")");
      }
      return errno_error(start, failure.err);
  }
  return errno_error(start, failure.err);
}

// The caller ignores the terminal's interrupt keys while a foreground command owns them.
class InterruptsIgnored {
 public:
  InterruptsIgnored() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGINT, &ignore, &saved_int_);
    ::sigaction(SIGQUIT, &ignore, &saved_quit_);
  }
  ~InterruptsIgnored() {
    ::sigaction(SIGINT, &saved_int_, nullptr);
    ::sigaction(SIGQUIT, &saved_quit_, nullptr);
  }
  InterruptsIgnored(const InterruptsIgnored&) = delete;
  InterruptsIgnored& operator=(const InterruptsIgnored&) = delete;

 private:
  struct sigaction saved_int_ {};
  struct sigaction saved_quit_ {};
};

Result<UniqueFd> open_namespace(pid_t holder, const char* kind) {
  auto fd = open_fd("/proc/" + std::to_string(holder) + "/ns/" + kind, O_RDONLY);
  if (!fd) {
    return Error::internal("cannot join the sandbox of pid " + std::to_string(holder) + ": " +
                           fd.error().message);
  }
  return fd;
}

// A holder started without privileges owns a user namespace of its own; a root holder shares ours,
// and setns(2) refuses to "join" the namespace one is already in.
Result<UniqueFd> holder_user_namespace(pid_t holder) {
  auto fd = open_namespace(holder, "user");
  if (!fd) return fd.error();
  struct stat theirs {};
  struct stat ours {};
  if (::fstat(fd->get(), &theirs) != 0 || ::stat("/proc/self/ns/user", &ours) != 0) {
    return errno_error(
        "cannot join the sandbox of pid " + std::to_string(holder) + ": inspect user namespaces",
        errno);
  }
  if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino) return UniqueFd();
  return fd;
}

// Takes the child's seccomp listener (it waits for us) and sends it to the pod's supervisor.
Status hand_over_network_listener(pid_t child, int listener, const std::string& supervisor) {
  UniqueFd pidfd(open_pidfd(child));
  if (!pidfd.valid()) return errno_error("pidfd_open", errno);
  UniqueFd ours(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd.get(), listener, 0)));
  if (!ours.valid()) return errno_error("pidfd_getfd", errno);
  return hand_over_listener(supervisor, ours.get());
}

}  // namespace

Result<pid_t> spawn(const ProcessSpec& spec) {
  return spawn(spec, ChildFds{});
}

Result<pid_t> spawn(const ProcessSpec& spec, const ChildFds& fds) {
  if (spec.argv.empty() || spec.argv[0].empty()) {
    return Error::bad_request("cannot start a process: the command is empty");
  }
  const std::string path = search_path(spec.env);
  LaunchPlan plan;
  plan.candidates = exec_candidates(spec.argv[0], path);
  for (const auto& candidate : plan.candidates) plan.candidate_ptrs.push_back(candidate.c_str());
  plan.argv = c_strings(spec.argv);
  plan.envp = c_strings(spec.env);
  plan.new_session = spec.new_session;
  plan.ready_fd = fds.ready;

  UniqueFd user_ns, mount_ns, uts_ns, log, dev_null;
  if (spec.join_namespaces_of > 0) {
    auto user = holder_user_namespace(spec.join_namespaces_of);
    if (!user) return user.error();
    user_ns = std::move(*user);
    plan.user_ns = user_ns.get();
    auto mnt = open_namespace(
        spec.join_mount_namespace_of > 0 ? spec.join_mount_namespace_of : spec.join_namespaces_of,
        "mnt");
    if (!mnt) return mnt.error();
    auto uts = open_namespace(spec.join_namespaces_of, "uts");
    if (!uts) return uts.error();
    mount_ns = std::move(*mnt);
    uts_ns = std::move(*uts);
    plan.mount_ns = mount_ns.get();
    plan.uts_ns = uts_ns.get();
    plan.own_mount_namespace = spec.own_mount_namespace;
    for (const auto& path : spec.read_only_mounts) plan.read_only_mounts.push_back(path.c_str());
  }
  // Opened here, so the kernel checks our permission to move a process, and the paths resolve in
  // our mount namespace rather than the pod's.
  std::vector<UniqueFd> cgroup_procs;
  for (const auto& procs : spec.join_cgroups) {
    auto opened = open_fd(procs, O_WRONLY);
    if (!opened) {
      return Error::internal("cannot start \"" + spec.argv[0] +
                             "\": join cgroup: " + opened.error().message);
    }
    plan.cgroup_procs.push_back(opened->get());
    cgroup_procs.push_back(std::move(*opened));
  }
  if (!spec.working_dir.empty()) {
    plan.working_dir = spec.working_dir.c_str();
  } else if (spec.join_namespaces_of > 0) {
    plan.working_dir = "/";
  }

  plan.error_fd = fds.error;
  plan.controlling_terminal = fds.controlling_terminal;
  if (fds.output >= 0) {
    plan.output_fd = fds.output;
  } else if (!spec.log_path.empty()) {
    auto opened = open_fd(spec.log_path, O_WRONLY | O_APPEND | O_CREAT);
    if (!opened) return opened.error();
    log = std::move(*opened);
    plan.output_fd = log.get();
  }
  if (fds.input >= 0) {
    plan.stdin_fd = fds.input;
  } else if (plan.output_fd >= 0) {
    auto opened = open_fd("/dev/null", O_RDONLY);
    if (!opened) return opened.error();
    dev_null = std::move(*opened);
    plan.stdin_fd = dev_null.get();
  }

  std::vector<sock_filter> network_filter;
  Pipe network_go;
  if (!spec.network_supervisor.empty()) {
    network_filter = network_filter_program();
    plan.network_filter = &network_filter;
    auto go = make_pipe();
    if (!go) return go.error();
    network_go = std::move(*go);
    plan.network_go = network_go.read.get();
    plan.network_go_parent = network_go.write.get();
  }

  if (spec.credentials) {
    plan.credentials = &*spec.credentials;
    last_capability();  // read now: the child may not open files or allocate
  }

  auto report = make_pipe();
  if (!report) return report.error();
  pid_t pid = ::fork();
  if (pid < 0) return errno_error("cannot start \"" + spec.argv[0] + "\": fork", errno);
  if (pid == 0) {
    plan.network_go = above_stdio(plan.network_go);
    run_child(plan, report->write.get());
  }
  report->write.reset();
  network_go.read.reset();

  ChildFailure failure{};
  ssize_t n;
  while (true) {
    do {
      n = ::read(report->read.get(), &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    if (n != sizeof failure || failure.step != Step::NetworkListener) break;
    auto handed =
        hand_over_network_listener(pid, static_cast<int>(failure.index), spec.network_supervisor);
    if (!handed) {
      // Fail closed: a process the supervisor does not see must not run.
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      return Error::internal("cannot start \"" + spec.argv[0] +
                             "\": the pod network supervisor: " + handed.error().message);
    }
    if (::write(network_go.write.get(), "g", 1) != 1)
      return errno_error("cannot start \"" + spec.argv[0] + "\": release the child", errno);
    network_go.write.reset();
  }
  if (n == 0) return pid;

  // The child never reached exec and has exited; reap it so no zombie is left behind.
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  if (n != sizeof failure) {
    return Error::internal("cannot start \"" + spec.argv[0] + "\": lost the child's error report");
  }
  return describe_failure(spec, path, failure);
}

Result<int> run_foreground(const ProcessSpec& spec) {
  InterruptsIgnored interrupts_go_to_the_command;
  auto pid = spawn(spec);
  if (!pid) return pid.error();
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0) {
    if (errno != EINTR) return errno_error("wait for \"" + spec.argv[0] + "\"", errno);
  }
  return exit_code_from_wait_status(status);
}

int exit_code_from_wait_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

std::vector<std::string> caller_environment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) env.emplace_back(*entry);
  return env;
}

std::string self_exe() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "kinda" : path.string();
}

}  // namespace kinda::runtime
