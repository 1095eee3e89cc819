#include "kubelet/pod_manager_impl.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "kubelet/streaming/log_stream.hpp"
#include "kubelet/streaming/pod_exec.hpp"
#include "kubelet/volumes/read_only_root.hpp"
#include "runtime/process.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;

// The container a pods/log or pods/exec request means: the one it names, else the pod's only
// container (with the API server's message when there are several).
Result<std::string> requested_container(const json& pod, const std::string& named) {
  if (!named.empty()) return named;
  auto containers = pod["spec"].value("containers", json::array());
  if (containers.size() == 1) return containers[0].value("name", "");
  std::string names;
  for (const auto& c : containers) names += (names.empty() ? "" : " ") + c.value("name", "");
  return Error::bad_request("a container name must be specified for pod " + api::name_of(pod) +
                            ", choose one of: [" + names + "]");
}

// Whether the pod's spec has a container or init container of that name; the 400 if not.
Status check_container_named(const json& pod, const std::string& name) {
  auto named = [&](const json& c) { return c.value("name", "") == name; };
  for (const char* list : {"containers", "initContainers"}) {
    auto containers = pod["spec"].value(list, json::array());
    if (std::any_of(containers.begin(), containers.end(), named)) return Ok{};
  }
  return Error::bad_request("container " + name + " is not valid for pod " + api::name_of(pod));
}

}  // namespace

apiserver::Reply PodManager::Impl::exec(const std::string& ns, const std::string& name,
                                        const apiserver::Request& request) {
  auto refuse = [](const Error& e) {
    return apiserver::Reply{apiserver::Response::error(e), nullptr};
  };
  // The pod first, as the API server looks it up before the options: a missing one is a 404.
  auto pod = objects.store().get("pods", ns, name);
  if (!pod) return refuse(pod.error());
  auto options = exec_options_of(request);
  if (!options) return refuse(options.error());
  auto container = requested_container(*pod, options->container);
  if (!container) return refuse(container.error());
  options->container = *container;
  if (auto named = check_container_named(*pod, options->container); !named)
    return refuse(named.error());
  auto it = runs.find(ns + "/" + name);
  ContainerRun* c = nullptr;
  if (it != runs.end() && it->second->uid == api::uid_of(*pod))
    c = it->second->container(options->container);
  if (!c || c->pid <= 0)
    return refuse(Error::bad_request("unable to upgrade connection: container not found (\"" +
                                     options->container + "\")"));
  auto protocol = exec_protocol_of(request);
  if (!protocol) return refuse(protocol.error());
  const PodRun& run = *it->second;
  runtime::ProcessSpec spec;
  spec.argv = options->command;
  spec.env = c->env;
  spec.join_namespaces_of = run.sandbox_pid;
  if (run.sandbox_pid && has_read_only_root(c->spec)) spec.join_mount_namespace_of = c->pid;
  spec.network_supervisor = run.network_socket();
  spec.credentials = c->credentials;  // as Kubernetes: the container's uid, groups and caps
  spec.working_dir =
      run.sandbox_pid ? c->spec.value("workingDir", std::string("/")) : c->host_working_dir;
  spdlog::info("pod {}/{}: exec in {}: {}", ns, name, options->container, spec.argv[0]);
  auto started = [this, key = run.key, uid = run.uid](pid_t group) {
    if (auto found = runs.find(key); found != runs.end() && found->second->uid == uid)
      found->second->exec_groups.push_back(group);
  };
  return exec_reply(io, std::move(spec), *options, *protocol, started);
}

apiserver::Reply PodManager::Impl::logs(const api::PodLogRequest& request) {
  auto pod = objects.store().get("pods", request.ns, request.pod);
  if (!pod) return apiserver::Reply{apiserver::Response::error(pod.error()), nullptr};
  auto requested = requested_container(*pod, request.container);
  if (!requested) return apiserver::Reply{apiserver::Response::error(requested.error()), nullptr};
  const std::string container = *requested;
  int restart = -1;
  auto key = request.ns + "/" + request.pod;
  if (auto it = runs.find(key); it != runs.end())
    if (auto* c = it->second->container(container)) restart = c->restart_count;
  if (restart < 0) {
    if (auto named = check_container_named(*pod, container); !named)
      return apiserver::Reply{apiserver::Response::error(named.error()), nullptr};
    restart = previous_restart_count(*pod, container);
  }
  if (request.previous) {
    if (restart == 0)
      return apiserver::Reply{apiserver::Response::error(Error::bad_request(
                                  "previous terminated container \"" + container + "\" in pod \"" +
                                  request.pod + "\" not found")),
                              nullptr};
    --restart;
  }
  auto file =
      opt.paths.logs() / request.ns / request.pod / container / (std::to_string(restart) + ".log");
  // A follower reads on while this container run may still write: until it has exited, or
  // (the pod stopping) until the shim is gone, which drains every pipe as it exits. So `logs -f`
  // shows what a container prints after its SIGTERM.
  auto still_writing = [this, key, container, restart, uid = api::uid_of(*pod)] {
    auto it = runs.find(key);
    if (it == runs.end() || it->second->uid != uid) return false;
    auto* c = it->second->container(container);
    return c && c->restart_count == restart && (c->live() || it->second->terminating);
  };
  return log_reply(io, file, request.tail_lines, request.follow && !request.previous,
                   still_writing);
}

}  // namespace kinda::kubelet
