// What the pod manager knows of one running pod and its containers: the state the kubelet keeps
// in memory and reports as the Pod's status. Owned by the pod manager; the status builder reads it.
#pragma once

#include <utility>  // Boost 1.74's asio needs it before awaitable.hpp

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <sys/types.h>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "kubelet/shim_client.hpp"
#include "runtime/credentials.hpp"
#include "runtime/exit_watcher.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::kubelet {

enum class ContainerState { Waiting, Running, Terminated };

struct ContainerRun {
  using Timer = boost::asio::steady_timer;
  std::string name;
  nlohmann::json spec;
  bool init = false;  // an initContainer: runs to completion before the containers start
  int restart_count = 0;
  pid_t pid = 0;          // while the shim reports it running
  bool starting = false;  // a start request is with the shim
  ContainerState state = ContainerState::Waiting;
  std::string reason = "ContainerCreating", message;
  int exit_code = 0;
  std::string started_at, finished_at;
  nlohmann::json last_state = nlohmann::json::object();
  bool ready = false;
  bool started = false;  // startup probe passed (or none)
  bool ever_ran = false;
  std::vector<std::string> env;
  std::string host_working_dir;
  // The identity its processes run with (security_context.hpp): exec, exec probes and hooks too.
  std::optional<runtime::Credentials> credentials;
  bool security_warned = false;  // the SecurityContextNotEnforced event is recorded once
  std::chrono::steady_clock::time_point run_began;
  uint64_t run_id = 0;  // bumps per run, so late probe results of an old run are dropped
  std::unique_ptr<Timer> readiness_timer, liveness_timer, startup_timer, restart_timer;
  int ready_ok = 0, ready_fail = 0, live_fail = 0, startup_fail = 0;

  bool live() const { return pid > 0 || starting; }
  bool completed() const { return state == ContainerState::Terminated && exit_code == 0; }
};

// Every simulated node's address (status.hostIP), and a hostNetwork pod's IP.
inline constexpr const char* kNodeAddress = "127.0.0.1";

struct PodRun {
  using Timer = boost::asio::steady_timer;
  std::string key, uid, ns, name;
  nlohmann::json pod;
  std::string ip;
  std::filesystem::path dir;
  // Where processes started in the pod hand their seccomp listener to the shim's network
  // supervisor (shim::ShimSpec::network_socket_path).
  std::string network_socket() const {
    return ip.empty() || host_network() ? "" : (dir / "net.sock").string();
  }
  bool host_network() const {
    auto spec = pod.find("spec");
    if (spec == pod.end() || !spec->is_object()) return false;
    auto host = spec->find("hostNetwork");
    return host != spec->end() && host->is_boolean() && host->get<bool>();
  }
  std::unique_ptr<ShimClient> shim;
  pid_t shim_pid = 0;  // 0 once the shim has exited (or never started)
  std::unique_ptr<runtime::ExitWatcher> shim_watcher;
  bool shim_ready = false;
  bool stop_sent = false;
  // The grace the shim gives what is still running when asked to stop: 0 once the containers we
  // know of have ended, more for a re-adopted shim whose containers we never knew.
  std::chrono::milliseconds shim_stop_grace{0};
  pid_t sandbox_pid = 0;
  std::vector<std::unique_ptr<ContainerRun>> init_containers, containers;
  bool initialized = false;
  std::vector<std::pair<std::string, std::string>> volume_env;
  std::vector<runtime::BindMount> mounts;
  std::vector<runtime::MemoryVolume> memory_volumes;
  // Set while a ConfigMap or Secret a volume needs is missing: the pod waits in
  // ContainerCreating, with this as its FailedMount event, and has no shim yet.
  std::string mount_problem;
  std::set<std::string> volume_warnings, volume_warnings_sent;  // what is not enforced, said once
  long long token_issued_at = 0;  // projected service account tokens (seconds since the epoch)
  std::unique_ptr<Timer> volume_timer;
  std::string start_time;
  std::string phase = "Pending";
  bool terminating = false;
  bool for_shutdown = false;
  bool completed = false;  // Succeeded or Failed: processes end, the object stays
  bool finished = false;
  // Process groups `kubectl exec` started in the pod: what they left running goes with the pod.
  std::vector<pid_t> exec_groups;
  std::unique_ptr<Timer> kill_timer, retry_timer;
  int start_attempts = 0;
  bool limits_warned = false;
  std::function<void()> on_stopped;
  std::map<std::string, std::pair<std::string, std::string>> conditions;  // type → (status, time)

  template <typename F>
  void each_container(F&& f) {
    for (auto& c : init_containers) f(*c);
    for (auto& c : containers) f(*c);
  }
  template <typename F>
  void each_container(F&& f) const {
    for (const auto& c : init_containers) f(std::as_const(*c));
    for (const auto& c : containers) f(std::as_const(*c));
  }
  ContainerRun* container(const std::string& name) {
    for (auto* list : {&init_containers, &containers})
      for (auto& c : *list)
        if (c->name == name) return c.get();
    return nullptr;
  }
};

// The Pod's next status from what the manager knows; keeps transition times in run.conditions.
nlohmann::json pod_status(PodRun& run, const nlohmann::json& current_status);

}  // namespace kinda::kubelet
