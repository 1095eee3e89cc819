#include "kubelet/pod_manager_impl.hpp"

#include <signal.h>

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "kubelet/process_scan.hpp"
#include "runtime/process.hpp"
#include "runtime/process_identity.hpp"

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

// Whether the daemon ran commands in the pod (exec probes and hooks, kubectl exec). Those are the
// daemon's children, not the shim's, so what they daemonize (rabbitmq-diagnostics starts
// `epmd -daemon`, which leaves its group and session) is reparented to init and outlives the pod
// unless it is looked for.
bool ran_commands_in_pod(const PodRun& run) {
  if (!run.exec_groups.empty()) return true;
  bool any = false;
  run.each_container([&](const ContainerRun& c) {
    for (const char* handler : {"startupProbe.exec", "readinessProbe.exec", "livenessProbe.exec",
                                "lifecycle.postStart.exec", "lifecycle.preStop.exec"})
      any = any || api::find_path(c.spec, handler) != nullptr;
  });
  return any;
}

}  // namespace

void PodManager::Impl::begin_termination(PodRun& run, double grace_seconds) {
  run.terminating = true;
  run.each_container([&](ContainerRun& c) {
    cancel_timers(c);
    if (c.pid <= 0) return;
    if (!run.for_shutdown)
      events.record(run.pod, "Normal", "Killing", "Stopping container " + c.name, "kubelet");
    stop_container(run, c, grace_seconds);
  });
  maybe_finish(run);
}

// Done when every container has exited and then the shim itself (so every process is gone).
void PodManager::Impl::maybe_finish(PodRun& run) {
  if (run.finished) return;
  bool live = false;
  run.each_container([&](ContainerRun& c) { live = live || c.live(); });
  if (live) return;
  if (run.shim_pid > 0) {
    if (run.shim_ready && run.shim && !run.stop_sent) {
      run.stop_sent = true;
      run.shim->request({{"op", "stop"}, {"graceMs", run.shim_stop_grace.count()}});
    }
    return;  // the shim's exit brings us back
  }
  run.finished = true;
  for (pid_t group : run.exec_groups) ::kill(-group, SIGKILL);
  if (ran_commands_in_pod(run)) end_escaped_processes(run);
  // Destroy the run outside the callback that got us here.
  asio::post(io, [this, key = run.key, uid = run.uid] {
    auto it = runs.find(key);
    if (it == runs.end() || it->second->uid != uid) return;
    auto run = std::move(it->second);
    runs.erase(it);
    spdlog::info("pod {}: all processes gone", key);
    if (run->on_stopped) return run->on_stopped();
    // Whatever brought the run here (its containers completing, a deletion, or both at once),
    // sync decides from the object as it is now: a deleted one is finalized, a finished one
    // stays, a replaced one starts. Deciding from how the run ended instead lost deletions that
    // arrived while a completed pod's shim was exiting.
    queue.add(key);
  });
}

void PodManager::Impl::finalize_object(const json& pod) {
  std::error_code ec;
  fs::remove_all(opt.paths.pods() / api::namespace_of(pod) / api::name_of(pod), ec);
  fs::remove_all(opt.paths.logs() / api::namespace_of(pod) / api::name_of(pod), ec);
  (void)objects.finalize(pods_resource(), pod);
}

// As the kubelet's cgroup kill: nothing started for a pod outlives it. Anything still carrying
// the pod's markers after its shim is gone escaped every group kinda knows of.
void PodManager::Impl::end_escaped_processes(const PodRun& run) {
  auto found = scan_cluster_processes(opt.paths.root.string());
  auto it = found.find(run.key);
  if (it == found.end() || it->second.uid != run.uid || it->second.marked.empty()) return;
  spdlog::warn("pod {}: ending {} process(es) that escaped the pod's process groups", run.key,
               it->second.marked.size());
  kill_found(it->second);
}

void PodManager::Impl::shutdown(std::function<void()> done) {
  shutting_down = true;
  subscription = storage::Subscription{};
  // Pods of one set stop one at a time, highest ordinal first; sets and lone pods in parallel.
  std::map<std::string, std::vector<PodRun*>> chains;
  for (auto& [key, run] : runs) {
    if (run->finished) continue;
    const auto* refs = api::find_path(run->pod, "metadata.ownerReferences");
    std::string owner =
        refs && refs->is_array() && !refs->empty() ? (*refs)[0].value("uid", "") : "";
    chains[owner.empty() ? key : owner].push_back(run.get());
  }
  auto remaining = std::make_shared<size_t>(chains.size());
  auto finish = std::make_shared<std::function<void()>>(std::move(done));
  if (*remaining == 0) return (*finish)();
  for (auto& [owner, list] : chains) {
    std::sort(list.begin(), list.end(), [](PodRun* a, PodRun* b) {
      return a->name.size() != b->name.size() ? a->name.size() > b->name.size() : a->name > b->name;
    });
    std::vector<std::string> keys;
    for (auto* r : list) keys.push_back(r->key);
    stop_chain(std::move(keys), 0, [remaining, finish] {
      if (--*remaining == 0) (*finish)();
    });
  }
}

void PodManager::Impl::stop_chain(std::vector<std::string> keys, size_t index,
                                  std::function<void()> done) {
  if (index == keys.size()) return done();
  auto it = runs.find(keys[index]);
  auto next = [this, keys, index, done] { stop_chain(keys, index + 1, done); };
  if (it == runs.end() || it->second->finished) return next();
  PodRun& run = *it->second;
  spdlog::info("pod {}: stopping for shutdown", run.key);
  run.for_shutdown = true;
  run.on_stopped = next;
  if (!run.terminating)
    begin_termination(run, grace_of(run));
  else
    maybe_finish(run);
}

size_t PodManager::Impl::fail_node(const std::string& node) {
  size_t removed = 0;
  for (const auto& pod : objects.store().list("pods")) {
    if (api::string_at(pod, "spec.nodeName") != node) continue;
    auto key = api::namespace_of(pod) + "/" + api::name_of(pod);
    if (auto* run = find_run(key, api::uid_of(pod))) {
      power_off(*run);
      (void)objects.finalize(pods_resource(), pod);  // its directories go once it is dead
    } else {
      finalize_object(pod);
    }
    spdlog::warn("pod {}: removed with its lost node {}", key, node);
    ++removed;
  }
  return removed;
}

// Every process of the pod dies at once by SIGKILL, straight from here rather than through a
// stop, so nothing in the pod gets to react; the shim (told to stop without grace) then reaps
// them and whatever they left behind. A pod of the same name starts once this run is gone.
void PodManager::Impl::power_off(PodRun& run) {
  run.terminating = true;
  run.for_shutdown = true;  // no status to write: the object is about to go
  run.shim_stop_grace = milliseconds(0);
  run.on_stopped = [this, key = run.key] {
    auto slash = key.find('/');
    std::error_code ec;
    fs::remove_all(opt.paths.pods() / key.substr(0, slash) / key.substr(slash + 1), ec);
    fs::remove_all(opt.paths.logs() / key.substr(0, slash) / key.substr(slash + 1), ec);
    queue.add(key);
  };
  run.each_container([&](ContainerRun& c) {
    cancel_timers(c);
    if (c.pid > 0) runtime::signal_group(c.pid, SIGKILL);
  });
  if (run.shim && run.shim_ready && !run.stop_sent) {
    run.stop_sent = true;
    run.shim->request({{"op", "stop"}, {"graceMs", 0}});
  }
  maybe_finish(run);
}

}  // namespace kinda::kubelet
