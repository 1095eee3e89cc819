#include "api/object.hpp"
#include "api/timestamps.hpp"
#include "kubelet/pod_run.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;

void set_condition(PodRun& run, json& list, const std::string& type, bool value,
                   const std::string& reason = "") {
  std::string status = value ? "True" : "False";
  auto& known = run.conditions[type];
  if (known.first != status) known = {status, api::now_rfc3339()};
  json c = {{"type", type},
            {"status", status},
            {"lastProbeTime", nullptr},
            {"lastTransitionTime", known.second}};
  if (!value && !reason.empty()) c["reason"] = reason;
  list.push_back(c);
}

json container_status(const PodRun& run, const ContainerRun& c) {
  json state;
  if (c.state == ContainerState::Running) {
    state = {{"running", {{"startedAt", c.started_at}}}};
  } else if (c.state == ContainerState::Waiting) {
    state = {{"waiting", {{"reason", c.reason}}}};
    if (!c.message.empty()) state["waiting"]["message"] = c.message;
  } else {
    state = {{"terminated",
              {{"exitCode", c.exit_code},
               {"reason", c.reason},
               {"startedAt", c.started_at},
               {"finishedAt", c.finished_at}}}};
    if (!c.message.empty()) state["terminated"]["message"] = c.message;
  }
  bool running = c.state == ContainerState::Running;
  json s = {{"name", c.name},
            {"state", state},
            {"lastState", c.last_state},
            {"ready", c.init ? c.completed() : running && c.ready && c.started},
            {"restartCount", c.restart_count},
            {"image", c.spec.value("image", "")},
            {"imageID", ""},
            {"started", running && c.started}};
  if (c.pid) s["containerID"] = "kinda://" + run.uid + "/" + c.name + "/" + std::to_string(c.pid);
  return s;
}

}  // namespace

json pod_status(PodRun& run, const json& current) {
  if (run.conditions.empty() && current.contains("conditions") && current["conditions"].is_array())
    for (const auto& c : current["conditions"])
      run.conditions[api::string_at(c, "type")] = {api::string_at(c, "status"),
                                                   api::string_at(c, "lastTransitionTime")};
  json statuses = json::array(), init_statuses = json::array();
  bool all_ready = !run.containers.empty();
  for (auto& c : run.containers) {
    statuses.push_back(container_status(run, *c));
    all_ready = all_ready && c->state == ContainerState::Running && c->ready && c->started;
  }
  for (auto& c : run.init_containers) init_statuses.push_back(container_status(run, *c));

  json conditions = json::array();
  set_condition(run, conditions, "PodReadyToStartContainers", run.shim_ready || run.completed);
  set_condition(run, conditions, "Initialized", run.initialized, "ContainersNotInitialized");
  set_condition(run, conditions, "Ready", all_ready && !run.terminating, "ContainersNotReady");
  set_condition(run, conditions, "ContainersReady", all_ready, "ContainersNotReady");
  set_condition(run, conditions, "PodScheduled", true);
  // Conditions others own (DisruptionTarget from the API server or a controller, a readiness
  // gate's type) stay, as the kubelet's status manager keeps them: a Job's podFailurePolicy
  // matches on DisruptionTarget after the pod has failed.
  if (current.contains("conditions") && current["conditions"].is_array())
    for (const auto& c : current["conditions"]) {
      const std::string type = api::string_at(c, "type");
      if (type != "PodReadyToStartContainers" && type != "Initialized" && type != "Ready" &&
          type != "ContainersReady" && type != "PodScheduled")
        conditions.push_back(c);
    }

  json st = current.is_object() ? current : json::object();
  st.erase("reason");
  st.erase("message");
  st["phase"] = run.phase;
  st["conditions"] = conditions;
  st["hostIP"] = kNodeAddress;
  st["hostIPs"] = {{{"ip", kNodeAddress}}};
  st["podIP"] = run.ip;
  st["podIPs"] = {{{"ip", run.ip}}};
  st["startTime"] = run.start_time;
  st["containerStatuses"] = statuses;
  if (!run.init_containers.empty())
    st["initContainerStatuses"] = init_statuses;
  else
    st.erase("initContainerStatuses");
  return st;
}

}  // namespace kinda::kubelet
