// The pod manager's state and the steps of its pod lifecycle, shared by the files that implement
// them (one responsibility each, as the kubelet splits its pod workers, prober manager and
// status manager):
//   pod_manager.cpp          following the store: which pods to start or stop, status writes;
//   pod_adoption.cpp         re-adopting the shims a previous daemon left running, ending strays;
//   pod_sandbox.cpp          a new pod's volumes, address, resolv.conf/hosts and sandbox spec;
//   shim_events.cpp          launching a pod's shim and reacting to what it reports;
//   container_lifecycle.cpp  starting, hooking, stopping and restarting containers;
//   pod_probing.cpp          scheduling probes and acting on their results;
//   pod_termination.cpp      pod termination, daemon shutdown and lost nodes;
//   pod_streams.cpp          pods/exec and pods/log.
// Everything runs on the daemon's io_context thread; callbacks find their pod again by key and
// uid (find_run) because a run may be gone by the time they fire.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "kubelet/container_launch.hpp"
#include "kubelet/pod_manager.hpp"
#include "kubelet/pod_run.hpp"
#include "kubelet/prober/probes.hpp"
#include "kubelet/process_scan.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::kubelet {

struct PodManager::Impl {
  Impl(boost::asio::io_context& io_, apiserver::ObjectService& objects_,
       client::EventRecorder& events_, PodManagerOptions o)
      : io(io_),
        objects(objects_),
        events(events_),
        opt(std::move(o)),
        queue(io_, [this](const std::string& key) { sync(key); }) {}

  boost::asio::io_context& io;
  apiserver::ObjectService& objects;
  client::EventRecorder& events;
  PodManagerOptions opt;
  client::WorkQueue queue;
  storage::Subscription subscription;
  std::map<std::string, std::unique_ptr<PodRun>> runs;
  // Where the next address search starts: like the host-local IPAM plugin, addresses are handed
  // out round-robin, so a recreated pod gets a new IP and only its DNS name stays the same.
  int next_address = 0;
  bool shutting_down = false;

  std::chrono::milliseconds scaled(double seconds) const {
    return std::chrono::milliseconds(
        static_cast<long long>(std::llround(seconds * 1000.0 * opt.config.time_scale)));
  }
  double grace_of(const PodRun& run) const;
  PodRun* find_run(const std::string& key, const std::string& uid);
  static const api::ResourceInfo& pods_resource();

  // ---- pod_manager.cpp: following the store ----
  void start();
  void on_event(const storage::WatchEvent& e);
  void sync(const std::string& key);
  std::unique_ptr<PodRun> new_run(const nlohmann::json& pod);
  void start_pod(const nlohmann::json& pod);
  // The rest of a start once the pod's volumes are ready: address, pod files, shim.
  void launch_prepared(PodRun& run);
  // The pod waits in Pending: PodScheduled False and a FailedScheduling event, once per reason.
  void report_unschedulable(const nlohmann::json& pod, const std::string& problem);
  void write_status(PodRun& run);

  // ---- pod_adoption.cpp: start-up, re-adopting the shims a previous daemon left running ----
  void adopt_shims();
  void adopt(const std::string& ns, const std::string& name, std::unique_ptr<ShimClient> client,
             const nlohmann::json& state);
  // Processes of this cluster that no live shim owns: left by a shim that was killed, or by a
  // daemon of an older kinda. Nothing may run under an identity the daemon does not know about.
  // Of a pod whose shim lives on, the processes its dead daemon ran in the containers' namespaces
  // (probes, hooks, kubectl exec) end too: their clients went with that daemon.
  void end_strays();
  static void kill_found(const FoundPod& f);
  static int previous_restart_count(const nlohmann::json& pod, const std::string& container);

  // ---- pod_sandbox.cpp: what a pod needs before its shim starts ----
  // Resolves the pod's volumes to host directories; returns a problem message when a claim is
  // missing or not yet bound, so the pod waits in Pending like one waiting for its volume.
  std::string prepare_volumes(PodRun& run);
  // ---- pod_volumes.cpp (with prepare_volumes): projected volumes, their sync, warnings ----
  std::string write_projected_volume(PodRun& run, const nlohmann::json& volume,
                                     const std::filesystem::path& dir);
  void sync_volumes(PodRun& run);
  void schedule_volume_sync(PodRun& run);
  void report_volume_warnings(PodRun& run);
  void add_read_only_root(PodRun& run, ContainerRun& c, nlohmann::json& request);
  std::string allocate_ip(const nlohmann::json& pod);
  void write_pod_files(const PodRun& run);
  std::variant<ContainerLaunch, LaunchProblem> launch_for(const PodRun& run, const ContainerRun& c);
  // Where a container's working directory is on the host when pods share the host's filesystem.
  std::string host_dir_for(const PodRun& run, const std::string& inside);
  // The sandbox the shim builds before any container starts: hostname, resolver files, volumes.
  std::string write_sandbox(PodRun& run);
  void add_image_files(PodRun& run, const ContainerRun& c, const ContainerLaunch& launch,
                       runtime::SandboxSpec& spec);

  // ---- shim_events.cpp: the pod's shim ----
  void launch_shim(PodRun& run);
  void listen_to_shim(PodRun& run);
  void on_shim_event(const std::string& key, const std::string& uid, const nlohmann::json& e);
  // The shim could not build the pod (or another shim holds the identity): report it, and once
  // this shim is gone try again after a back-off, as the kubelet retries a failed sandbox.
  void shim_failed(PodRun& run, const std::string& reason, const std::string& message);
  void watch_shim(PodRun& run);

  // ---- container_lifecycle.cpp: containers, their hooks, exits and restarts ----
  // Starts what should run next: the first unfinished init container, or every container.
  void continue_pod(PodRun& run);
  void start_container(PodRun& run, ContainerRun& c);
  // resources.limits become a cgroup of the container's own, made by the shim, when the machine
  // lets us create cgroups; otherwise they are recorded in the spec and reported as not enforced.
  void add_limits(PodRun& run, ContainerRun& c, nlohmann::json& request);
  void retry_later(PodRun& run, ContainerRun& c, double seconds);
  void on_started(PodRun& run, ContainerRun& c, const nlohmann::json& reply);
  void became_running(PodRun& run, ContainerRun& c);
  // A lifecycle hook handler: exec, httpGet and tcpSocket run like probes; sleep waits.
  void run_hook(PodRun& run, ContainerRun& c, const nlohmann::json& hook,
                std::chrono::milliseconds limit,
                std::function<void(bool, const std::string&)> done);
  void signal(PodRun& run, ContainerRun& c, int sig);
  void kill_for_restart(PodRun& run, ContainerRun& c, const std::string& why);
  // The kubelet's container stop: the preStop hook (bounded by the grace period), then SIGTERM,
  // then SIGKILL when the grace period runs out.
  void stop_container(PodRun& run, ContainerRun& c, double grace_seconds);
  static void cancel_timers(ContainerRun& c);
  void on_container_exit(PodRun& run, ContainerRun& c, int code, const std::string& reason,
                         const std::string& finished_at);
  void after_exit(PodRun& run, ContainerRun& c, int code);
  // Succeeded or Failed: the pod's processes end and the object keeps its final status.
  void complete(PodRun& run, bool failed);

  // ---- pod_probing.cpp: probes ----
  ProbeTarget probe_target(const PodRun& run, const ContainerRun& c) const;
  void start_probes(PodRun& run, ContainerRun& c);
  void begin_steady_probes(PodRun& run, ContainerRun& c);
  std::unique_ptr<boost::asio::steady_timer>& timer_for(ContainerRun& c, const std::string& kind);
  void schedule_probe(PodRun& run, ContainerRun& c, const std::string& kind, bool first);
  ContainerRun* find_container(const std::string& key, const std::string& name, uint64_t run_id);
  void on_probe_result(PodRun& run, ContainerRun& c, const std::string& kind, bool ok,
                       const std::string& message);

  // ---- pod_termination.cpp: termination, shutdown, a lost node ----
  void begin_termination(PodRun& run, double grace_seconds);
  // Done when every container has exited and then the shim itself (so every process is gone).
  void maybe_finish(PodRun& run);
  // Ends the processes of a finished run that left every process group kinda knows of.
  void end_escaped_processes(const PodRun& run);
  void finalize_object(const nlohmann::json& pod);
  void shutdown(std::function<void()> done);
  void stop_chain(std::vector<std::string> keys, size_t index, std::function<void()> done);
  size_t fail_node(const std::string& node);
  // Every process of the pod dies at once by SIGKILL, straight from here rather than through a
  // stop, so nothing in the pod gets to react; the shim (told to stop without grace) then reaps
  // them and whatever they left behind. A pod of the same name starts once this run is gone.
  void power_off(PodRun& run);

  // ---- pod_streams.cpp: pods/exec and pods/log ----
  apiserver::Reply exec(const std::string& ns, const std::string& name,
                        const apiserver::Request& request);
  apiserver::Reply logs(const api::PodLogRequest& request);
};

}  // namespace kinda::kubelet
