#include "shim/shim_main.hpp"

#include <utility>  // Boost 1.74's asio needs it before awaitable.hpp

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/timestamps.hpp"
#include "runtime/cgroup.hpp"
#include "runtime/net_supervisor.hpp"
#include "runtime/process.hpp"
#include "runtime/read_only_root.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/socket_path.hpp"
#include "runtime/syscall.hpp"
#include "shim/child_scan.hpp"
#include "shim/daemon_liveness.hpp"
#include "shim/line_channel.hpp"
#include "shim/log_pump.hpp"
#include "shim/shim_protocol.hpp"
#include "shim/shim_spec.hpp"

namespace kinda::shim {
namespace {

namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::milliseconds;
using Local = asio::local::stream_protocol;

constexpr int kStarterFd = 3;
constexpr auto kOrphanCheckPeriod = std::chrono::seconds(1);

struct Container {
  std::string name;
  pid_t pid = 0;
  bool running = false;
  int exit_code = 0;
  std::string reason, started_at, finished_at, log;
  std::string cgroup;      // relative cgroup group holding its limits ("" = none)
  uint64_t oom_kills = 0;  // the group's count when this run started
  std::shared_ptr<LogPump> pump;
};

class ShimServer {
 public:
  ShimServer(asio::io_context& io, ShimSpec spec, pid_t sandbox_pid)
      : io_(io),
        spec_(std::move(spec)),
        sandbox_pid_(sandbox_pid),
        signals_(io, SIGCHLD, SIGTERM, SIGINT),
        acceptor_(io),
        kill_timer_(io),
        orphan_timer_(io) {}

  Status listen() {
    ::unlink(spec_.socket_path().c_str());  // a stale socket of a dead shim; we hold the lock
    boost::system::error_code ec;
    acceptor_.open(Local(), ec);
    runtime::SocketPath address(spec_.socket_path());
    if (!ec) acceptor_.bind(Local::endpoint(address.address()), ec);
    if (!ec) ::chmod(spec_.socket_path().c_str(), 0600);
    if (!ec) acceptor_.listen(8, ec);
    if (ec) return Error::internal("listen on " + spec_.socket_path() + ": " + ec.message());
    accept_next();
    return Ok{};
  }

  void serve_starter(int fd) {
    Local::socket socket(io_);
    boost::system::error_code ec;
    socket.assign(Local(), fd, ec);
    if (ec) return watch_for_orphaning();
    attach(std::move(socket));
    client_->send({{"event", "ready"}, {"pid", ::getpid()}, {"sandboxPid", sandbox_pid_}});
  }

  void run() {
    wait_signals();
    io_.run();
  }

 private:
  // ---- clients ----

  void accept_next() {
    acceptor_.async_accept([this](boost::system::error_code ec, Local::socket socket) {
      if (ec) return;
      attach(std::move(socket));
      accept_next();
    });
  }

  // The newest connection is the daemon; an older one belongs to a daemon that is gone.
  void attach(Local::socket socket) {
    if (client_) client_->close();
    orphan_timer_.cancel();
    orphaned_since_.reset();
    client_ = LineChannel::create(std::move(socket));
    auto channel = client_;
    client_->start([this](const json& m) { handle(m); },
                   [this, channel] {
                     if (client_ == channel) {
                       client_.reset();
                       watch_for_orphaning();
                     }
                   });
  }

  void tell(const json& event) {
    if (client_) client_->send(event);
  }

  void handle(const json& m) {
    json reply = {{"id", m.value("id", 0)}, {"ok", true}};
    auto op = m.value("op", "");
    std::string error;
    if (op == "start")
      error = start_container(m, reply);
    else if (op == "signal")
      error = signal_container(m.value("name", ""), m.value("signal", SIGTERM));
    else if (op == "state")
      reply.update(state());
    else if (op == "stop")
      begin_stop(milliseconds(m.value("graceMs", spec_.stop_grace_ms)));
    else
      error = "unknown op \"" + op + "\"";
    if (!error.empty()) reply["ok"] = false, reply["error"] = error;
    tell(reply);
  }

  // ---- containers ----

  std::string start_container(const json& m, json& reply) {
    if (stopping_) return "the pod is stopping";
    auto name = m.value("name", "");
    auto& c = containers_[name];
    if (c.running)
      return "container " + name + " is already running (pid " + std::to_string(c.pid) + ")";
    runtime::ProcessSpec process;
    process.argv = m.value("argv", std::vector<std::string>{});
    process.env = m.value("env", std::vector<std::string>{});
    process.working_dir = m.value("workingDir", "");
    process.join_namespaces_of = sandbox_pid_;
    if (m.value("readOnlyRootFilesystem", false) && sandbox_pid_ > 0) {
      auto mounts = runtime::read_only_root_mounts_of(
          sandbox_pid_, m.value("writablePaths", std::vector<std::string>{}));
      if (!mounts) return mounts.error().message;
      process.own_mount_namespace = true;
      process.read_only_mounts = std::move(*mounts);
    }
    if (!spec_.pod_ip.empty()) process.network_supervisor = spec_.network_socket_path();
    if (m.contains("credentials")) {
      auto credentials = runtime::credentials_from_json(m["credentials"]);
      if (!credentials) return credentials.error().message;
      process.credentials = *credentials;
    }
    std::string cgroup = m.value("cgroup", "");
    uint64_t oom_kills = 0;
    if (!cgroup.empty()) {
      runtime::ResourceLimits limits;
      if (m.contains("memoryBytes")) limits.memory_bytes = m["memoryBytes"].get<int64_t>();
      if (m.contains("cpuMillicores")) limits.cpu_millicores = m["cpuMillicores"].get<int64_t>();
      auto group = runtime::create_container_cgroup(cgroup, limits);
      if (!group) return "resource limits: " + group.error().message;
      process.join_cgroups = group->procs_files;
      if (auto kills = runtime::cgroup_oom_kills(cgroup)) oom_kills = *kills;
    }
    auto pipe = runtime::make_pipe();
    if (!pipe) return pipe.error().message;
    auto pid = runtime::spawn(process, runtime::ChildFds{.output = pipe->write.get()});
    pipe->write.reset();
    if (!pid) return pid.error().message;
    c = Container{};
    c.name = name;
    c.pid = *pid;
    c.running = true;
    c.started_at = api::now_rfc3339();
    c.log = m.value("log", "");
    c.cgroup = cgroup;
    c.oom_kills = oom_kills;
    c.pump =
        LogPump::start(io_, std::move(pipe->read), c.log, spec_.log_max_bytes, spec_.log_max_files);
    spdlog::info("container {} started (pid {})", name, c.pid);
    reply["pid"] = c.pid;
    reply["startedAt"] = c.started_at;
    return "";
  }

  std::string signal_container(const std::string& name, int signal) {
    auto it = containers_.find(name);
    if (it == containers_.end() || !it->second.running) return "";  // already gone: nothing to do
    ::kill(-it->second.pid, signal);
    return "";
  }

  json state() const {
    json containers = json::object();
    for (const auto& [name, c] : containers_)
      containers[name] = {
          {"pid", c.pid},       {"running", c.running},      {"exitCode", c.exit_code},
          {"reason", c.reason}, {"startedAt", c.started_at}, {"finishedAt", c.finished_at},
          {"log", c.log}};
    return {{"pid", ::getpid()},
            {"uid", spec_.uid},
            {"sandboxPid", sandbox_pid_},
            {"containers", containers}};
  }

  // ---- children ----

  void wait_signals() {
    signals_.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      if (signal == SIGCHLD)
        reap();
      else
        begin_stop(milliseconds(spec_.stop_grace_ms));
      wait_signals();
    });
  }

  void reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == sandbox_pid_) {
        sandbox_pid_ = 0;
        spdlog::info("sandbox holder ended");
        if (!stopping_) tell({{"event", "sandboxExit"}});
        continue;
      }
      for (auto& [name, c] : containers_) {
        if (!c.running || c.pid != pid) continue;
        c.running = false;
        c.exit_code = runtime::exit_code_from_wait_status(status);
        c.reason = c.exit_code == 0 ? "Completed" : "Error";
        if (!c.cgroup.empty())
          if (auto kills = runtime::cgroup_oom_kills(c.cgroup); kills && *kills > c.oom_kills)
            c.reason = "OOMKilled";
        c.finished_at = api::now_rfc3339();
        spdlog::info("container {} (pid {}) exited with {}", name, pid, c.exit_code);
        tell({{"event", "exit"},
              {"name", name},
              {"pid", pid},
              {"exitCode", c.exit_code},
              {"reason", c.reason},
              {"finishedAt", c.finished_at}});
      }
    }
    if (stopping_) finish_stop();
  }

  // ---- stopping ----

  void begin_stop(milliseconds grace) {
    if (!stopping_) spdlog::info("stopping the pod (grace {} ms)", grace.count());
    stopping_ = true;
    for (auto& [name, c] : containers_)
      if (c.running) ::kill(-c.pid, SIGTERM);
    kill_timer_.expires_after(grace);
    kill_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      for (auto& [name, c] : containers_)
        if (c.running) ::kill(-c.pid, SIGKILL);
    });
    finish_stop();
  }

  // Once the containers are gone: the holder, then anything that was reparented to us, then exit.
  void finish_stop() {
    for (auto& [name, c] : containers_)
      if (c.running) return;
    if (sandbox_pid_) {
      ::kill(sandbox_pid_, SIGTERM);
      return;  // its SIGCHLD brings us back
    }
    auto left = children_of(::getpid());
    for (pid_t pid : left) ::kill(pid, SIGKILL);
    if (!left.empty()) return;
    spdlog::info("every process of the pod is gone; shim exits");
    if (!spec_.cgroup_parent.empty() &&
        runtime::cgroup_support().mode != runtime::CgroupSupport::None)
      if (auto removed = runtime::remove_cgroup(spec_.cgroup_parent); !removed)
        spdlog::warn("cgroup {}: {}", spec_.cgroup_parent, removed.error().message);
    ::unlink(spec_.socket_path().c_str());
    if (!spec_.pod_ip.empty()) ::unlink(spec_.network_socket_path().c_str());
    for (auto& [name, c] : containers_)
      if (c.pump) c.pump->drain_and_close();
    io_.stop();
  }

  // ---- a daemon that does not come back ----

  void watch_for_orphaning() {
    if (stopping_) return;
    if (!orphaned_since_) orphaned_since_ = std::chrono::steady_clock::now();
    orphan_timer_.expires_after(kOrphanCheckPeriod);
    orphan_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || client_) return;
      std::error_code fs_ec;
      if (!std::filesystem::exists(spec_.cluster_root, fs_ec)) {
        spdlog::warn("cluster directory {} is gone; stopping the pod", spec_.cluster_root);
        return begin_stop(milliseconds(spec_.stop_grace_ms));
      }
      if (daemon_alive(spec_.daemon_pid_file)) orphaned_since_ = std::chrono::steady_clock::now();
      auto away = std::chrono::steady_clock::now() - *orphaned_since_;
      if (away >= milliseconds(spec_.orphan_grace_ms)) {
        spdlog::warn("no kinda daemon for {} ms; stopping the pod", spec_.orphan_grace_ms);
        return begin_stop(milliseconds(spec_.stop_grace_ms));
      }
      watch_for_orphaning();
    });
  }

  asio::io_context& io_;
  ShimSpec spec_;
  pid_t sandbox_pid_;
  asio::signal_set signals_;
  Local::acceptor acceptor_;
  asio::steady_timer kill_timer_, orphan_timer_;
  std::shared_ptr<LineChannel> client_;
  std::map<std::string, Container> containers_;
  std::optional<std::chrono::steady_clock::time_point> orphaned_since_;
  bool stopping_ = false;
};

void tell_starter(const json& message) {
  auto line = message.dump() + "\n";
  (void)!::write(kStarterFd, line.data(), line.size());
}

int fail(const std::string& reason, const std::string& message, int code = 1) {
  spdlog::error("{}", message);
  tell_starter({{"event", "failed"}, {"reason", reason}, {"message", message}});
  return code;
}

}  // namespace

int shim_main(const std::string& spec_path) {
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  auto spec = read_shim_spec(spec_path);
  if (!spec) return fail("InvalidSpec", spec.error().message);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l shim " + spec->key + ": %v");

  // The identity lock: held for the shim's whole life, released by the kernel when it exits.
  int lock = ::open(spec->lock_path().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0 || ::flock(lock, LOCK_EX | LOCK_NB) != 0)
    return fail("IdentityTaken", "pod " + spec->key + " already has a live shim",
                kExitIdentityTaken);
  auto pid_text = std::to_string(::getpid()) + "\n";
  (void)!::ftruncate(lock, 0);
  (void)!::pwrite(lock, pid_text.data(), pid_text.size(), 0);

  // Orphans of the pod's processes come to us, not to init, so nothing of the pod escapes.
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    return fail("SubreaperFailed", runtime::errno_error("PR_SET_CHILD_SUBREAPER", errno).message);

  // SIGCHLD/SIGTERM are blocked until the signal_set takes them, so no exit is missed meanwhile.
  sigset_t handled;
  sigemptyset(&handled);
  for (int s : {SIGCHLD, SIGTERM, SIGINT}) sigaddset(&handled, s);
  ::sigprocmask(SIG_BLOCK, &handled, nullptr);

  pid_t sandbox_pid = 0;
  if (!spec->sandbox_spec.empty()) {
    auto sandbox_spec = runtime::read_sandbox_spec(spec->sandbox_spec);
    if (!sandbox_spec) return fail("FailedCreatePodSandBox", sandbox_spec.error().message);
    auto started = runtime::start_sandbox(*sandbox_spec, spec->self_exe);
    if (!started) return fail("FailedCreatePodSandBox", started.error().message);
    sandbox_pid = *started;
  }

  // The pod network's supervisor answers from its own thread, so a busy event loop never delays a
  // container's connect.
  std::unique_ptr<runtime::NetSupervisor> network;
  if (!spec->pod_ip.empty()) {
    auto created = runtime::NetSupervisor::create(spec->pod_ip);
    if (!created) {
      if (sandbox_pid) ::kill(sandbox_pid, SIGKILL);
      return fail("NetworkSupervisorFailed", created.error().message);
    }
    network = std::move(*created);
    if (auto listening = network->listen(spec->network_socket_path()); !listening) {
      if (sandbox_pid) ::kill(sandbox_pid, SIGKILL);
      return fail("NetworkSupervisorFailed", listening.error().message);
    }
    network->start();
  }

  asio::io_context io;
  ShimServer server(io, *spec, sandbox_pid);
  ::sigprocmask(SIG_UNBLOCK, &handled, nullptr);
  if (auto listening = server.listen(); !listening) {
    if (sandbox_pid) ::kill(sandbox_pid, SIGKILL);
    return fail("ShimListenFailed", listening.error().message);
  }
  server.serve_starter(kStarterFd);
  spdlog::info("serving pod {} (uid {}), sandbox pid {}", spec->key, spec->uid, sandbox_pid);
  server.run();
  return 0;
}

}  // namespace kinda::shim
