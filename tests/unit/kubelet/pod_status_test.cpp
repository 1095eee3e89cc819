// The pod status the pod manager writes, built from what it knows of the pod's containers.
#include <catch2/catch.hpp>

#include "kubelet/pod_run.hpp"

using kinda::kubelet::ContainerRun;
using kinda::kubelet::ContainerState;
using kinda::kubelet::pod_status;
using kinda::kubelet::PodRun;
using nlohmann::json;

namespace {

std::unique_ptr<ContainerRun> container_run(const std::string& name, ContainerState state,
                                            bool init = false) {
  auto c = std::make_unique<ContainerRun>();
  c->name = name;
  c->init = init;
  c->state = state;
  c->spec = {{"name", name}, {"image", "busybox"}};
  c->started = true;
  return c;
}

std::string condition(const json& status, const std::string& type) {
  for (const auto& c : status["conditions"])
    if (c["type"] == type) return c["status"];
  return "";
}

}  // namespace

TEST_CASE("a pod still initialising is Pending, not Initialized, and lists its init containers") {
  PodRun run;
  run.uid = "u";
  run.ip = "127.64.0.2";
  run.shim_ready = true;
  run.init_containers.push_back(container_run("setup", ContainerState::Running, true));
  run.init_containers[0]->pid = 42;
  run.containers.push_back(container_run("app", ContainerState::Waiting));
  run.containers[0]->reason = "PodInitializing";
  auto status = pod_status(run, json::object());
  CHECK(status["phase"] == "Pending");
  CHECK(condition(status, "Initialized") == "False");
  CHECK(condition(status, "Ready") == "False");
  CHECK(condition(status, "PodScheduled") == "True");
  REQUIRE(status["initContainerStatuses"].size() == 1);
  CHECK(status["initContainerStatuses"][0]["state"].contains("running"));
  CHECK(status["initContainerStatuses"][0]["containerID"] == "kinda://u/setup/42");
  CHECK(status["containerStatuses"][0]["state"]["waiting"]["reason"] == "PodInitializing");
}

TEST_CASE("a running pod is Ready only when every container is running and ready") {
  PodRun run;
  run.initialized = true;
  run.phase = "Running";
  run.shim_ready = true;
  run.containers.push_back(container_run("a", ContainerState::Running));
  run.containers.push_back(container_run("b", ContainerState::Running));
  run.containers[0]->ready = true;
  auto status = pod_status(run, json::object());
  CHECK(condition(status, "Ready") == "False");
  CHECK(condition(status, "ContainersReady") == "False");
  run.containers[1]->ready = true;
  status = pod_status(run, status);
  CHECK(condition(status, "Ready") == "True");
  CHECK(condition(status, "Initialized") == "True");
  CHECK_FALSE(status.contains("initContainerStatuses"));
  run.terminating = true;
  CHECK(condition(pod_status(run, status), "Ready") == "False");
}

TEST_CASE("a terminated container reports its exit code, reason and last state") {
  PodRun run;
  run.initialized = true;
  auto c = container_run("a", ContainerState::Terminated);
  c->exit_code = 137;
  c->reason = "OOMKilled";
  c->restart_count = 2;
  c->last_state = {{"terminated", {{"exitCode", 1}}}};
  run.containers.push_back(std::move(c));
  auto status = pod_status(run, json::object());
  const auto& s = status["containerStatuses"][0];
  CHECK(s["state"]["terminated"]["exitCode"] == 137);
  CHECK(s["state"]["terminated"]["reason"] == "OOMKilled");
  CHECK(s["lastState"]["terminated"]["exitCode"] == 1);
  CHECK(s["restartCount"] == 2);
  CHECK(s["ready"] == false);
}

TEST_CASE("condition transition times change only when the status does") {
  PodRun run;
  run.initialized = true;
  run.containers.push_back(container_run("a", ContainerState::Running));
  json old = {
      {"conditions", {{{"type", "Ready"}, {"status", "False"}, {"lastTransitionTime", "T0"}}}}};
  auto status = pod_status(run, old);
  for (const auto& c : status["conditions"])
    if (c["type"] == "Ready") CHECK(c["lastTransitionTime"] == "T0");
}
