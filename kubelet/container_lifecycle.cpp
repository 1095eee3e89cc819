#include "kubelet/pod_manager_impl.hpp"

#include <signal.h>

#include <algorithm>
#include <cmath>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "api/quantity.hpp"
#include "api/timestamps.hpp"
#include "kubelet/security_context.hpp"
#include "runtime/cgroup.hpp"
#include "runtime/isolation.hpp"

namespace kinda::kubelet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Timer = boost::asio::steady_timer;
using std::chrono::milliseconds;
using State = ContainerState;

// The kubelet's container restart back-off: 10 s doubling to 5 min.
constexpr auto kBackoffInitial = std::chrono::seconds(10);
constexpr auto kBackoffMax = std::chrono::seconds(300);
// A container that ran this long without crashing starts its back-off afresh.
constexpr auto kBackoffReset = std::chrono::minutes(10);

std::string restart_policy(const PodRun& run) {
  return api::string_at(run.pod, "spec.restartPolicy", "Always");
}

}  // namespace

// Starts what should run next: the first unfinished init container, or every container.
void PodManager::Impl::continue_pod(PodRun& run) {
  if (run.terminating || run.completed || !run.shim_ready || shutting_down) return;
  if (!run.initialized) {
    for (auto& c : run.init_containers) {
      if (c->completed()) continue;
      if (!c->live() && !c->restart_timer && c->state != State::Terminated)
        start_container(run, *c);
      return;
    }
    run.initialized = true;
    run.phase = "Running";
    for (auto& c : run.containers)
      if (c->reason == "PodInitializing") c->reason = "ContainerCreating";
  }
  for (auto& c : run.containers)
    if (!c->live() && !c->ever_ran && !c->restart_timer) start_container(run, *c);
}

void PodManager::Impl::start_container(PodRun& run, ContainerRun& c) {
  if (run.terminating || shutting_down || !run.shim) return;
  auto launch = launch_for(run, c);
  auto refuse = [&](const std::string& reason, const std::string& message) {
    if (c.reason != reason)
      events.record(run.pod, "Warning", "Failed", "Error: " + message, "kubelet");
    c.state = State::Waiting;
    c.reason = reason;
    c.message = message;
    write_status(run);
    // The kubelet keeps retrying a container it cannot create (a ConfigMap may appear).
    return retry_later(run, c, kBackoffInitial.count());
  };
  if (auto* problem = std::get_if<LaunchProblem>(&launch))
    return refuse(problem->reason, problem->message);
  auto& l = std::get<ContainerLaunch>(launch);
  auto security = resolve_for_cluster(run.pod, c.spec, l.image_user, opt.isolation);
  if (auto* refusal = std::get_if<SecurityRefusal>(&security))
    return refuse(refusal->reason, refusal->message);
  auto& identity = std::get<ResolvedSecurity>(security);
  if (!identity.not_enforced.empty() && !c.security_warned)
    events.record(run.pod, "Warning", kSecurityContextNotEnforced, identity.not_enforced,
                  "kubelet");
  c.security_warned = true;
  c.credentials = identity.credentials;
  fs::path log_dir = opt.paths.logs() / run.ns / run.name / c.name;
  std::error_code ec;
  fs::create_directories(log_dir, ec);
  c.env = l.env;
  c.host_working_dir =
      runtime::has_pod_namespaces(opt.isolation) ? l.working_dir : host_dir_for(run, l.working_dir);
  json request = {{"op", "start"},
                  {"name", c.name},
                  {"argv", l.argv},
                  {"env", l.env},
                  {"workingDir", c.host_working_dir},
                  {"log", (log_dir / (std::to_string(c.restart_count) + ".log")).string()},
                  {"credentials", runtime::to_json(identity.credentials)}};
  for (const auto& warning : l.warnings)
    events.record(run.pod, "Warning", kInvalidEnvironmentVariableNames, warning, "kubelet");
  if (!l.image_files.empty() && !runtime::has_pod_namespaces(opt.isolation) && c.restart_count == 0)
    events.record(run.pod, "Warning", kImageFilesNotBound, image_files_not_bound(l), "kubelet");
  add_limits(run, c, request);
  add_read_only_root(run, c, request);
  c.starting = true;
  c.state = State::Waiting;
  c.reason = "ContainerCreating";
  c.message.clear();
  run.shim->request(request, [this, key = run.key, uid = run.uid, name = c.name](const json& r) {
    auto* run = find_run(key, uid);
    auto* c = run ? run->container(name) : nullptr;
    if (c) on_started(*run, *c, r);
  });
}

// resources.limits become a cgroup of the container's own, made by the shim, when the machine
// lets us create cgroups; otherwise they are recorded in the spec and reported as not enforced.
void PodManager::Impl::add_limits(PodRun& run, ContainerRun& c, json& request) {
  const json* limits = api::find_path(c.spec, "resources.limits");
  if (!limits || !limits->is_object() || limits->empty()) return;
  const auto& support = runtime::cgroup_support();
  if (support.mode == runtime::CgroupSupport::None) {
    if (!run.limits_warned)
      events.record(run.pod, "Warning", "ResourceLimitsNotEnforced",
                    "resources.limits of container " + c.name +
                        " are recorded but not enforced: cgroups " + runtime::to_string(support),
                    "kubelet");
    run.limits_warned = true;
    return;
  }
  request["cgroup"] = "kinda-" + opt.paths.name + "/" + run.uid + "/" + c.name;
  if (limits->contains("memory"))
    if (auto bytes = api::memory_bytes((*limits)["memory"])) request["memoryBytes"] = *bytes;
  if (limits->contains("cpu"))
    if (auto milli = api::cpu_millicores((*limits)["cpu"])) request["cpuMillicores"] = *milli;
}

void PodManager::Impl::retry_later(PodRun& run, ContainerRun& c, double seconds) {
  c.restart_timer = std::make_unique<Timer>(io, scaled(seconds));
  c.restart_timer->async_wait(
      [this, key = run.key, uid = run.uid, name = c.name](boost::system::error_code ec) {
        if (ec) return;
        auto* run = find_run(key, uid);
        auto* c = run ? run->container(name) : nullptr;
        if (!c || c->live()) return;
        c->restart_timer.reset();
        start_container(*run, *c);
      });
}

void PodManager::Impl::on_started(PodRun& run, ContainerRun& c, const json& reply) {
  c.starting = false;
  if (!reply.value("ok", false)) {
    auto message = reply.value("error", std::string("the shim refused to start it"));
    events.record(run.pod, "Warning", "Failed", "Error: " + message, "kubelet");
    if (run.terminating) return maybe_finish(run);
    c.state = State::Terminated;
    c.reason = "StartError";
    c.message = message;
    c.exit_code = 128;
    c.started_at = c.finished_at = api::now_rfc3339();
    c.ever_ran = true;
    c.run_began = std::chrono::steady_clock::now();
    return after_exit(run, c, 128);
  }
  c.pid = reply.value("pid", 0);
  c.state = State::Running;
  c.reason.clear();
  c.message.clear();
  c.started_at = reply.value("startedAt", api::now_rfc3339());
  c.ever_ran = true;
  c.ready = false;
  c.run_began = std::chrono::steady_clock::now();
  ++c.run_id;
  // Started while the pod was stopping: stopped at once, with the grace period's SIGKILL behind
  // the SIGTERM, since a container that ignores SIGTERM would otherwise hold the pod (and a
  // daemon shutting down) forever.
  if (run.terminating) return stop_container(run, c, grace_of(run));
  spdlog::info("pod {}: container {} started (pid {})", run.key, c.name, c.pid);
  events.record(run.pod, "Normal", "Created", "Created container " + c.name, "kubelet");
  const json* hook = api::find_path(c.spec, "lifecycle.postStart");
  if (!hook || c.init) return became_running(run, c);
  // As the kubelet: the container is not Running until its postStart hook has succeeded; a
  // failed hook kills it, and the restart policy decides what follows.
  c.state = State::Waiting;
  c.reason = "ContainerCreating";
  run_hook(
      run, c, *hook, scaled(grace_of(run)),
      [this, key = run.key, uid = run.uid, name = c.name, run_id = c.run_id](
          bool ok, const std::string& message) {
        auto* run = find_run(key, uid);
        auto* c = run ? run->container(name) : nullptr;
        if (!c || c->run_id != run_id || c->pid <= 0 || run->terminating) return;
        if (ok) return became_running(*run, *c);
        events.record(run->pod, "Warning", "FailedPostStartHook",
                      "PostStartHook failed for container " + name + ": " + message, "kubelet");
        c->message = "PostStartHook failed";
        kill_for_restart(*run, *c, "FailedPostStartHook: container " + name + " will be killed");
      });
}

void PodManager::Impl::became_running(PodRun& run, ContainerRun& c) {
  c.state = State::Running;
  c.reason.clear();
  if (run.initialized) run.phase = "Running";
  events.record(run.pod, "Normal", "Started", "Started container " + c.name, "kubelet");
  if (!c.init) start_probes(run, c);
  write_status(run);
}

// A lifecycle hook handler: exec, httpGet and tcpSocket run like probes; sleep waits.
void PodManager::Impl::run_hook(PodRun& run, ContainerRun& c, const json& hook, milliseconds limit,
                                std::function<void(bool, const std::string&)> done) {
  if (hook.contains("sleep")) {
    auto timer = std::make_shared<Timer>(
        io, std::min(limit, scaled(static_cast<double>(api::int_at(hook, "sleep.seconds", 0)))));
    timer->async_wait([timer, done](boost::system::error_code) { done(true, ""); });
    return;
  }
  run_probe(io, hook, probe_target(run, c), std::max(limit, milliseconds(1)),
            [done](bool ok, std::string message) { done(ok, message); });
}

void PodManager::Impl::signal(PodRun& run, ContainerRun& c, int sig) {
  if (run.shim && c.pid > 0)
    run.shim->request({{"op", "signal"}, {"name", c.name}, {"signal", sig}});
}

void PodManager::Impl::kill_for_restart(PodRun& run, ContainerRun& c, const std::string& why) {
  events.record(run.pod, "Normal", "Killing", why, "kubelet");
  cancel_timers(c);
  c.ready = false;
  stop_container(run, c, grace_of(run));
  write_status(run);
}

// The kubelet's container stop: the preStop hook (bounded by the grace period), then SIGTERM,
// then SIGKILL when the grace period runs out.
void PodManager::Impl::stop_container(PodRun& run, ContainerRun& c, double grace_seconds) {
  const json* hook = api::find_path(c.spec, "lifecycle.preStop");
  auto deadline = std::chrono::steady_clock::now() + scaled(grace_seconds);
  auto kill_later = [this, key = run.key, uid = run.uid, name = c.name, pid = c.pid, deadline] {
    auto timer = std::make_shared<Timer>(io, deadline);
    timer->async_wait([this, key, uid, name, pid, timer](boost::system::error_code ec) {
      auto* run = find_run(key, uid);
      auto* c = run ? run->container(name) : nullptr;
      if (!ec && c && c->pid == pid) signal(*run, *c, SIGKILL);
    });
  };
  if (!hook || c.init || c.pid <= 0) {
    signal(run, c, SIGTERM);
    return kill_later();
  }
  auto term = [this, key = run.key, uid = run.uid, name = c.name, pid = c.pid, kill_later] {
    auto* run = find_run(key, uid);
    auto* c = run ? run->container(name) : nullptr;
    if (!c || c->pid != pid) return;
    signal(*run, *c, SIGTERM);
    kill_later();
  };
  auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
  run_hook(run, c, *hook, left,
           [this, key = run.key, uid = run.uid, name = c.name, term](bool ok,
                                                                     const std::string& message) {
             auto* run = find_run(key, uid);
             if (!ok && run)
               events.record(run->pod, "Warning", "FailedPreStopHook",
                             "PreStopHook failed for container " + name + ": " + message,
                             "kubelet");
             term();
           });
}

void PodManager::Impl::cancel_timers(ContainerRun& c) {
  for (auto* t : {&c.readiness_timer, &c.liveness_timer, &c.startup_timer, &c.restart_timer})
    if (*t) (*t)->cancel(), t->reset();
}

void PodManager::Impl::on_container_exit(PodRun& run, ContainerRun& c, int code,
                                         const std::string& reason,
                                         const std::string& finished_at) {
  cancel_timers(c);
  c.pid = 0;
  c.starting = false;
  c.ready = false;
  c.state = State::Terminated;
  c.exit_code = code;
  c.reason = reason.empty() ? (code == 0 ? "Completed" : "Error") : reason;
  c.message.clear();
  c.finished_at = finished_at.empty() ? api::now_rfc3339() : finished_at;
  if (c.started_at.empty()) c.started_at = c.finished_at;
  spdlog::info("pod {}: container {} exited with {}", run.key, c.name, code);
  if (run.terminating) return maybe_finish(run);
  after_exit(run, c, code);
}

void PodManager::Impl::after_exit(PodRun& run, ContainerRun& c, int code) {
  auto policy = restart_policy(run);
  if (c.init) {
    if (code == 0) {
      write_status(run);
      return continue_pod(run);
    }
    if (policy == "Never") return complete(run, true);
  } else if (!(policy == "Always" || (policy == "OnFailure" && code != 0))) {
    bool all_done = std::all_of(run.containers.begin(), run.containers.end(),
                                [](const auto& x) { return x->state == State::Terminated; });
    if (!all_done) return write_status(run);
    bool failed = std::any_of(run.containers.begin(), run.containers.end(),
                              [](const auto& x) { return x->exit_code != 0; });
    return complete(run, failed);
  }
  c.last_state = {{"terminated",
                   {{"exitCode", code},
                    {"reason", c.reason},
                    {"startedAt", c.started_at},
                    {"finishedAt", c.finished_at},
                    {"containerID", "kinda://" + run.uid + "/" + c.name}}}};
  if (!c.message.empty()) c.last_state["terminated"]["message"] = c.message;
  auto ran_for = std::chrono::steady_clock::now() - c.run_began;
  milliseconds delay{0};
  if (c.restart_count > 0 &&
      ran_for < scaled(std::chrono::duration<double>(kBackoffReset).count())) {
    double seconds = std::min<double>(kBackoffInitial.count() * std::pow(2.0, c.restart_count - 1),
                                      static_cast<double>(kBackoffMax.count()));
    delay = scaled(seconds);
  }
  if (delay.count() > 0) {
    c.state = State::Waiting;
    c.reason = "CrashLoopBackOff";
    c.message = "back-off " + std::to_string(delay.count() / 1000) +
                "s restarting failed container=" + c.name + " pod=" + run.name + "_" + run.ns +
                "(" + run.uid + ")";
    events.record(run.pod, "Warning", "BackOff",
                  "Back-off restarting failed container " + c.name + " in pod " + run.name + "_" +
                      run.ns + "(" + run.uid + ")",
                  "kubelet");
  }
  write_status(run);
  c.restart_timer = std::make_unique<Timer>(io, delay);
  c.restart_timer->async_wait(
      [this, key = run.key, uid = run.uid, name = c.name](boost::system::error_code ec) {
        if (ec) return;
        auto* run = find_run(key, uid);
        auto* c = run ? run->container(name) : nullptr;
        if (!c || c->live() || run->terminating) return;
        c->restart_timer.reset();
        ++c->restart_count;
        start_container(*run, *c);
      });
}

// Succeeded or Failed: the pod's processes end and the object keeps its final status.
void PodManager::Impl::complete(PodRun& run, bool failed) {
  run.phase = failed ? "Failed" : "Succeeded";
  run.completed = true;
  write_status(run);
  run.each_container([&](ContainerRun& c) {
    cancel_timers(c);
    if (c.live()) stop_container(run, c, grace_of(run));
  });
  maybe_finish(run);
}

}  // namespace kinda::kubelet
