#include "kubelet/pod_manager_impl.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "runtime/process.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;
using Timer = boost::asio::steady_timer;

}  // namespace

void PodManager::Impl::launch_shim(PodRun& run) {
  shim::ShimSpec spec;
  spec.key = run.key;
  spec.uid = run.uid;
  spec.pod_dir = run.dir.string();
  spec.cluster_root = opt.paths.root.string();
  spec.daemon_pid_file = opt.paths.pid_file().string();
  spec.sandbox_spec = write_sandbox(run);
  spec.self_exe = opt.self_exe;
  spec.orphan_grace_ms = scaled(opt.config.shim_orphan_grace_seconds).count();
  spec.stop_grace_ms =
      scaled(static_cast<double>(api::int_at(run.pod, "spec.terminationGracePeriodSeconds", 30)))
          .count();
  spec.log_max_bytes = opt.config.container_log_max_bytes;
  spec.log_max_files = opt.config.container_log_max_files;
  spec.cgroup_parent = "kinda-" + opt.paths.name + "/" + run.uid;
  if (!run.host_network()) spec.pod_ip = run.ip;
  ++run.start_attempts;
  auto client = ShimClient::launch(
      io, spec, [this, key = run.key, uid = run.uid](const json& e) { on_shim_event(key, uid, e); },
      [] {}, &run.shim_pid);
  if (!client) return shim_failed(run, "FailedCreatePodSandBox", client.error().message);
  run.shim = std::move(*client);
  watch_shim(run);
}

void PodManager::Impl::listen_to_shim(PodRun& run) {
  run.shim->listen(
      [this, key = run.key, uid = run.uid](const json& e) { on_shim_event(key, uid, e); }, [] {});
}

void PodManager::Impl::on_shim_event(const std::string& key, const std::string& uid,
                                     const json& e) {
  auto* run = find_run(key, uid);
  if (!run) return;
  auto kind = e.value("event", "");
  if (kind == "ready") {
    run->shim_ready = true;
    run->start_attempts = 0;
    run->sandbox_pid = e.value("sandboxPid", 0);
    if (run->terminating) return maybe_finish(*run);
    continue_pod(*run);
    write_status(*run);
  } else if (kind == "failed") {
    shim_failed(*run, e.value("reason", "FailedCreatePodSandBox"), e.value("message", ""));
  } else if (kind == "exit") {
    auto* c = run->container(e.value("name", ""));
    if (c && c->pid == e.value("pid", 0))
      on_container_exit(*run, *c, e.value("exitCode", 0), e.value("reason", "Error"),
                        e.value("finishedAt", ""));
  } else if (kind == "sandboxExit") {
    run->sandbox_pid = 0;
    if (run->terminating || run->completed) return;
    // Without its namespaces the pod cannot go on; stop it and start it afresh.
    spdlog::warn("pod {}: sandbox ended unexpectedly; restarting the pod", key);
    events.record(run->pod, "Normal", "SandboxChanged",
                  "Pod sandbox changed, it will be killed and re-created.", "kubelet");
    run->for_shutdown = true;
    run->on_stopped = [this, key] { queue.add(key); };
    begin_termination(*run, 0);
  }
}

// The shim could not build the pod (or another shim holds the identity): report it, and once
// this shim is gone try again after a back-off, as the kubelet retries a failed sandbox.
void PodManager::Impl::shim_failed(PodRun& run, const std::string& reason,
                                   const std::string& message) {
  spdlog::warn("pod {}: shim failed: {}: {}", run.key, reason, message);
  events.record(run.pod, "Warning", "FailedCreatePodSandBox",
                "Failed to create pod sandbox: " + message, "kubelet");
  run.each_container([&](ContainerRun& c) { c.message = message; });
  write_status(run);
  double delay = std::min(30.0, 1.0 * (1 << std::min(run.start_attempts, 5)));
  run.for_shutdown = true;  // keep the object; the retry starts a fresh run
  run.on_stopped = [this, key = run.key, delay] {
    auto timer = std::make_shared<Timer>(io, scaled(delay));
    timer->async_wait([this, key, timer](boost::system::error_code ec) {
      if (!ec) queue.add(key);
    });
  };
  run.terminating = true;
  maybe_finish(run);
}

void PodManager::Impl::watch_shim(PodRun& run) {
  if (run.shim_pid <= 0) return;
  run.shim_watcher = std::make_unique<runtime::ExitWatcher>(
      io, run.shim_pid, [this, key = run.key, uid = run.uid](std::optional<int>) {
        auto* r = find_run(key, uid);
        if (!r) return;
        r->shim_pid = 0;
        r->sandbox_pid = 0;
        r->shim.reset();
        bool expected = r->terminating || r->completed;
        if (!expected) {
          // Killed from outside: whatever it left behind ends, and the pod starts afresh.
          spdlog::warn("pod {}: its shim ended unexpectedly; restarting the pod", key);
          events.record(r->pod, "Normal", "SandboxChanged",
                        "Pod sandbox changed, it will be killed and re-created.", "kubelet");
          auto found = scan_cluster_processes(opt.paths.root.string());
          if (auto it = found.find(key); it != found.end()) kill_found(it->second);
          r->terminating = true;
          r->for_shutdown = true;
          r->on_stopped = [this, key] { queue.add(key); };
        }
        r->each_container([](ContainerRun& c) {
          c.pid = 0;
          c.starting = false;
        });
        maybe_finish(*r);
      });
}

}  // namespace kinda::kubelet
