#include "kubelet/pod_manager_impl.hpp"

#include <boost/asio.hpp>

#include "api/object.hpp"
#include "kubelet/volumes/read_only_root.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;
using Timer = boost::asio::steady_timer;
using State = ContainerState;

}  // namespace

ProbeTarget PodManager::Impl::probe_target(const PodRun& run, const ContainerRun& c) const {
  return ProbeTarget{run.ip,
                     run.sandbox_pid,
                     c.env,
                     c.host_working_dir,
                     c.spec.value("ports", json::array()),
                     run.network_socket(),
                     c.credentials,
                     run.sandbox_pid && has_read_only_root(c.spec) ? c.pid : 0};
}

void PodManager::Impl::start_probes(PodRun& run, ContainerRun& c) {
  c.ready_ok = c.ready_fail = c.live_fail = c.startup_fail = 0;
  if (!c.started)
    schedule_probe(run, c, "startupProbe", true);
  else
    begin_steady_probes(run, c);
}

void PodManager::Impl::begin_steady_probes(PodRun& run, ContainerRun& c) {
  if (c.spec.contains("readinessProbe"))
    schedule_probe(run, c, "readinessProbe", true);
  else
    c.ready = true;
  if (c.spec.contains("livenessProbe")) schedule_probe(run, c, "livenessProbe", true);
}

std::unique_ptr<Timer>& PodManager::Impl::timer_for(ContainerRun& c, const std::string& kind) {
  if (kind == "readinessProbe") return c.readiness_timer;
  if (kind == "livenessProbe") return c.liveness_timer;
  return c.startup_timer;
}

void PodManager::Impl::schedule_probe(PodRun& run, ContainerRun& c, const std::string& kind,
                                      bool first) {
  const json& probe = c.spec[kind];
  double delay = first ? probe.value("initialDelaySeconds", 0) : probe.value("periodSeconds", 10);
  auto& timer = timer_for(c, kind);
  timer = std::make_unique<Timer>(io, scaled(delay));
  timer->async_wait(
      [this, key = run.key, name = c.name, kind, run_id = c.run_id](boost::system::error_code ec) {
        if (ec) return;
        auto* c2 = find_container(key, name, run_id);
        if (!c2) return;
        auto& r = *runs[key];
        const json& p = c2->spec[kind];
        run_probe(io, p, probe_target(r, *c2), scaled(p.value("timeoutSeconds", 1)),
                  [this, key, name, kind, run_id](bool ok, std::string message) {
                    auto* c3 = find_container(key, name, run_id);
                    if (c3) on_probe_result(*runs[key], *c3, kind, ok, message);
                  });
      });
}

ContainerRun* PodManager::Impl::find_container(const std::string& key, const std::string& name,
                                               uint64_t run_id) {
  auto it = runs.find(key);
  if (it == runs.end() || it->second->terminating) return nullptr;
  auto* c = it->second->container(name);
  return c && c->run_id == run_id && c->state == State::Running ? c : nullptr;
}

void PodManager::Impl::on_probe_result(PodRun& run, ContainerRun& c, const std::string& kind,
                                       bool ok, const std::string& message) {
  const json& probe = c.spec[kind];
  const int success_threshold = probe.value("successThreshold", 1);
  const int failure_threshold = probe.value("failureThreshold", 3);
  const std::string label = kind == "readinessProbe"  ? "Readiness"
                            : kind == "livenessProbe" ? "Liveness"
                                                      : "Startup";
  if (!ok)
    events.record(run.pod, "Warning", "Unhealthy", label + " probe failed: " + message, "kubelet");
  else if (!message.empty())  // e.g. a redirect to another host, which passes with a warning
    events.record(run.pod, "Warning", "ProbeWarning", label + " probe warning: " + message,
                  "kubelet");
  if (kind == "readinessProbe") {
    if (ok)
      c.ready_fail = 0, ++c.ready_ok;
    else
      c.ready_ok = 0, ++c.ready_fail;
    bool was = c.ready;
    if (ok && c.ready_ok >= success_threshold) c.ready = true;
    if (!ok && c.ready_fail >= failure_threshold) c.ready = false;
    if (was != c.ready) write_status(run);
  } else if (kind == "startupProbe") {
    if (ok) {
      c.started = true;
      write_status(run);
      return begin_steady_probes(run, c);
    }
    if (++c.startup_fail >= failure_threshold)
      return kill_for_restart(run, c,
                              "Container " + c.name + " failed startup probe, will be restarted");
  } else {
    if (ok)
      c.live_fail = 0;
    else if (++c.live_fail >= failure_threshold)
      return kill_for_restart(run, c,
                              "Container " + c.name + " failed liveness probe, will be restarted");
  }
  schedule_probe(run, c, kind, false);
}

}  // namespace kinda::kubelet
