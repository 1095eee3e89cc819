#include "printers/pod_row.hpp"

#include "api/object.hpp"
#include "printers/fields.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

// Keeps the newest finish time of a container's previous run.
void note_restart(const json& status, std::optional<Clock::time_point>& newest) {
  auto finished = time_at(status, "lastState.terminated.finishedAt");
  if (finished && (!newest || *newest < *finished)) newest = finished;
}

bool is_true(const json& value) {
  return value.is_boolean() && value.get<bool>();
}

bool has_condition(const json& pod, const std::string& type) {
  for (const auto& c : array_at(pod, "status.conditions"))
    if (api::string_at(c, "type") == type) return api::string_at(c, "status") == "True";
  return false;
}

// Sidecars: init containers with restartPolicy Always keep running beside the app containers.
bool restartable_init(const json& pod, const std::string& name) {
  for (const auto& c : array_at(pod, "spec.initContainers"))
    if (api::string_at(c, "name") == name) return api::string_at(c, "restartPolicy") == "Always";
  return false;
}

std::string exit_text(const json& terminated) {
  long long signal = api::int_at(terminated, "signal");
  return signal ? "Signal:" + std::to_string(signal)
                : "ExitCode:" + std::to_string(api::int_at(terminated, "exitCode"));
}

std::string or_none(const std::string& value) {
  return value.empty() ? "<none>" : value;
}

std::string readiness_gates(const json& pod) {
  const json& gates = array_at(pod, "spec.readinessGates");
  if (gates.empty()) return "<none>";
  size_t met = 0;
  for (const auto& gate : gates) {
    std::string type = api::string_at(gate, "conditionType");
    for (const auto& c : array_at(pod, "status.conditions")) {
      if (api::string_at(c, "type") != type) continue;
      if (api::string_at(c, "status") == "True") ++met;
      break;
    }
  }
  return std::to_string(met) + "/" + std::to_string(gates.size());
}

json completed_condition(const std::string& phase) {
  bool succeeded = phase == "Succeeded";
  return json::array(
      {{{"type", "Completed"},
        {"status", "True"},
        {"reason", phase},
        {"message", succeeded ? "The pod has completed successfully." : "The pod failed."}}});
}

}  // namespace

PodSummary summarize_pod(const json& pod) {
  PodSummary s;
  std::string phase = api::string_at(pod, "status.phase");
  s.status = api::string_at(pod, "status.reason");
  // The API server sets Pending when a pod is created; objects without a phase read the same.
  if (s.status.empty()) s.status = phase.empty() ? "Pending" : phase;
  for (const auto& c : array_at(pod, "status.conditions"))
    if (api::string_at(c, "type") == "PodScheduled" &&
        api::string_at(c, "reason") == "SchedulingGated")
      s.status = "SchedulingGated";
  s.total = static_cast<int>(array_at(pod, "spec.containers").size());
  const json& init_specs = array_at(pod, "spec.initContainers");
  for (const auto& c : init_specs)
    if (api::string_at(c, "restartPolicy") == "Always") ++s.total;

  const json& inits = array_at(pod, "status.initContainerStatuses");
  // Objects made by hand may carry init statuses without their specs; count what is there.
  size_t init_count = init_specs.empty() ? inits.size() : init_specs.size();
  long long sidecar_restarts = 0;
  std::optional<Clock::time_point> sidecar_last_restart;
  bool initializing = false;
  for (size_t i = 0; i < inits.size(); ++i) {
    const json& c = inits[i];
    bool sidecar = restartable_init(pod, api::string_at(c, "name"));
    s.restarts += api::int_at(c, "restartCount");
    note_restart(c, s.last_restart);
    if (sidecar) {
      sidecar_restarts += api::int_at(c, "restartCount");
      note_restart(c, sidecar_last_restart);
    }
    const json& state = field(c, "state");
    const json& terminated = field(state, "terminated");
    std::string waiting = api::string_at(state, "waiting.reason");
    if (terminated.is_object() && api::int_at(terminated, "exitCode") == 0) continue;
    if (sidecar && is_true(field(c, "started"))) {
      if (is_true(field(c, "ready"))) ++s.ready;
      continue;
    }
    if (terminated.is_object()) {
      std::string reason = api::string_at(terminated, "reason");
      s.status = "Init:" + (reason.empty() ? exit_text(terminated) : reason);
    } else if (!waiting.empty() && waiting != "PodInitializing") {
      s.status = "Init:" + waiting;
    } else {
      s.status = "Init:" + std::to_string(i) + "/" + std::to_string(init_count);
    }
    initializing = true;
    break;
  }

  if (!initializing || has_condition(pod, "Initialized")) {
    s.restarts = sidecar_restarts;
    s.last_restart = sidecar_last_restart;
    bool has_running = false;
    const json& statuses = array_at(pod, "status.containerStatuses");
    for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
      s.restarts += api::int_at(*it, "restartCount");
      note_restart(*it, s.last_restart);
      const json& state = field(*it, "state");
      const json& terminated = field(state, "terminated");
      std::string waiting = api::string_at(state, "waiting.reason");
      if (!waiting.empty()) {
        s.status = waiting;
      } else if (terminated.is_object()) {
        std::string reason = api::string_at(terminated, "reason");
        s.status = reason.empty() ? exit_text(terminated) : reason;
      } else if (is_true(field(*it, "ready")) && field(state, "running").is_object()) {
        has_running = true;
        ++s.ready;
      }
    }
    if (s.status == "Completed" && has_running)
      s.status = has_condition(pod, "Ready") ? "Running" : "NotReady";
  }

  if (api::is_terminating(pod)) {
    if (api::string_at(pod, "status.reason") == "NodeLost")
      s.status = "Unknown";
    else if (phase != "Succeeded" && phase != "Failed")
      s.status = "Terminating";
  }
  return s;
}

std::string pod_ready(const json& pod) {
  PodSummary s = summarize_pod(pod);
  return std::to_string(s.ready) + "/" + std::to_string(s.total);
}

std::string pod_status(const json& pod) {
  return summarize_pod(pod).status;
}

std::string pod_restarts(const json& pod, Clock::time_point now) {
  Cell restarts = print_pod(pod).cells.at(3);
  return cell_text(cell_value(restarts, now));
}

PrintedRow print_pod(const json& pod) {
  PodSummary s = summarize_pod(pod);
  PrintedRow row;
  Cell restarts = json(std::to_string(s.restarts));
  if (s.restarts != 0 && s.last_restart)
    restarts = Age{s.last_restart, std::to_string(s.restarts) + " (", " ago)"};
  std::string ip = api::string_at(pod, "status.podIP");
  if (const json& ips = array_at(pod, "status.podIPs"); !ips.empty())
    ip = api::string_at(ips[0], "ip");
  row.cells = {json(api::name_of(pod)),
               json(std::to_string(s.ready) + "/" + std::to_string(s.total)),
               json(s.status),
               restarts,
               created_age(pod),
               json(or_none(ip)),
               json(or_none(api::string_at(pod, "spec.nodeName"))),
               json(or_none(api::string_at(pod, "status.nominatedNodeName"))),
               json(readiness_gates(pod))};
  std::string phase = api::string_at(pod, "status.phase");
  if (phase == "Succeeded" || phase == "Failed") row.conditions = completed_condition(phase);
  return row;
}

}  // namespace kinda::printers
