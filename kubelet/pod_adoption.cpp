#include "kubelet/pod_manager_impl.hpp"
#include "kubelet/security_context.hpp"

#include <signal.h>

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "api/timestamps.hpp"
#include "runtime/process.hpp"
#include "runtime/process_identity.hpp"

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using State = ContainerState;

// How long a pod whose shim is gone although its object remains waits before it is started anew.
constexpr double kStrayGraceSeconds = 2;

}  // namespace

void PodManager::Impl::adopt_shims() {
  std::error_code ec;
  for (const auto& ns_dir : fs::directory_iterator(opt.paths.pods(), ec)) {
    std::error_code ec2;
    for (const auto& pod_dir : fs::directory_iterator(ns_dir.path(), ec2)) {
      auto socket = pod_dir.path() / "shim.sock";
      if (!fs::exists(socket, ec2)) continue;
      json state;
      auto client = ShimClient::reconnect(io, socket.string(), &state);
      if (!client) {
        spdlog::warn("pod {}/{}: shim not reachable ({}); its processes will be ended",
                     ns_dir.path().filename().string(), pod_dir.path().filename().string(),
                     client.error().message);
        continue;
      }
      adopt(ns_dir.path().filename().string(), pod_dir.path().filename().string(),
            std::move(*client), state);
    }
  }
}

void PodManager::Impl::adopt(const std::string& ns, const std::string& name,
                             std::unique_ptr<ShimClient> client, const json& state) {
  auto pod = objects.store().get("pods", ns, name);
  auto shim_uid = state.value("uid", "");
  bool keep = pod && api::uid_of(*pod) == shim_uid && api::pod_phase(*pod) != "Succeeded" &&
              api::pod_phase(*pod) != "Failed";
  json base = keep ? *pod
                   : json{{"metadata", {{"name", name}, {"namespace", ns}, {"uid", shim_uid}}},
                          {"spec", json::object()}};
  auto run = new_run(base);
  auto* raw = run.get();
  runs[run->key] = std::move(run);
  raw->shim = std::move(client);
  raw->shim_pid = state.value("pid", 0);
  raw->shim_ready = true;
  raw->sandbox_pid = state.value("sandboxPid", 0);
  raw->ip = api::string_at(base, "status.podIP");
  raw->start_time = api::string_at(base, "status.startTime", api::now_rfc3339());
  listen_to_shim(*raw);
  watch_shim(*raw);
  spdlog::info("pod {}: re-adopted its shim (pid {}, sandbox pid {})", raw->key, raw->shim_pid,
               raw->sandbox_pid);
  if (!keep) {
    // Its object is gone or replaced: we know nothing of its containers, so the shim itself
    // stops them, with a short grace.
    raw->shim_stop_grace = scaled(kStrayGraceSeconds);
    return begin_termination(*raw, kStrayGraceSeconds);
  }
  prepare_volumes(*raw);

  const json& known = state.value("containers", json::object());
  std::vector<std::pair<ContainerRun*, json>> exited;
  raw->each_container([&](ContainerRun& c) {
    if (!known.contains(c.name)) return;
    const json& k = known[c.name];
    c.ever_ran = true;
    c.started_at = k.value("startedAt", api::now_rfc3339());
    if (!c.init) raw->initialized = true;  // as the kubelet: a started container means init done
    if (k.value("running", false)) {
      c.pid = k.value("pid", 0);
      c.state = State::Running;
      c.reason.clear();
      c.run_began = std::chrono::steady_clock::now();
      auto launch = launch_for(*raw, c);
      if (auto* l = std::get_if<ContainerLaunch>(&launch)) {
        c.env = l->env;
        // The identity it was started with, for exec and exec probes from now on.
        auto security = resolve_for_cluster(raw->pod, c.spec, l->image_user, opt.isolation);
        if (auto* identity = std::get_if<ResolvedSecurity>(&security)) {
          c.credentials = identity->credentials;
          c.security_warned = true;
        }
      }
    } else {
      exited.emplace_back(&c, k);
    }
  });
  if (!raw->initialized)
    raw->initialized =
        std::all_of(raw->init_containers.begin(), raw->init_containers.end(), [&](const auto& c) {
          return known.contains(c->name) && !known[c->name].value("running", true) &&
                 known[c->name].value("exitCode", 1) == 0;
        });
  raw->phase = raw->initialized ? "Running" : "Pending";
  raw->each_container([&](ContainerRun& c) {
    if (c.state == State::Running) start_probes(*raw, c);
  });
  // Exits that happened while no daemon watched: the shim kept their real exit codes.
  for (auto& [c, k] : exited) {
    c->pid = k.value("pid", 0);
    on_container_exit(*raw, *c, k.value("exitCode", 0), k.value("reason", "Error"),
                      k.value("finishedAt", ""));
  }
  continue_pod(*raw);
  write_status(*raw);
}

// Processes of this cluster that no live shim owns: left by a shim that was killed, or by a
// daemon of an older kinda. Nothing may run under an identity the daemon does not know about.
// Of a pod whose shim lives on, the processes its dead daemon ran in the containers' namespaces
// (probes, hooks, kubectl exec) end too: their clients went with that daemon.
void PodManager::Impl::end_strays() {
  for (auto& [key, f] : scan_cluster_processes(opt.paths.root.string())) {
    if (runs.count(key)) {
      for (pid_t pid : f.orphans) {
        spdlog::warn("pod {}: ending process {} a previous daemon left running in it", key, pid);
        runtime::signal_group(pid, SIGKILL);
      }
      continue;
    }
    spdlog::warn("ending stray processes of {} (no live shim owns them)", key);
    kill_found(f);
  }
}

void PodManager::Impl::kill_found(const FoundPod& f) {
  for (pid_t pid : f.shim_pids) ::kill(pid, SIGKILL);
  for (pid_t pid : f.session_leaders) runtime::signal_group(pid, SIGKILL);
  for (pid_t pid : f.marked) ::kill(pid, SIGKILL);  // what left its session (a double fork)
  if (f.sandbox_pid) ::kill(f.sandbox_pid, SIGKILL);
}

int PodManager::Impl::previous_restart_count(const json& pod, const std::string& container) {
  for (const char* list : {"status.containerStatuses", "status.initContainerStatuses"}) {
    const auto* statuses = api::find_path(pod, list);
    if (statuses && statuses->is_array())
      for (const auto& s : *statuses)
        if (s.value("name", "") == container) return s.value("restartCount", 0);
  }
  return 0;
}

}  // namespace kinda::kubelet
