#include "kubelet/pod_manager_impl.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;

json metadata_of(const json& pod, const std::string& field) {
  const json* value = api::find_path(pod, "metadata." + field);
  return value ? *value : json();
}

}  // namespace

const api::ResourceInfo& PodManager::Impl::pods_resource() {
  return *api::find_resource("pods");
}

void PodManager::Impl::start() {
  adopt_shims();
  end_strays();
  subscription = objects.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& pod : objects.store().list("pods"))
    queue.add(api::namespace_of(pod) + "/" + api::name_of(pod));
}

void PodManager::Impl::on_event(const storage::WatchEvent& e) {
  if (e.resource == "pods") {
    queue.add(api::namespace_of(e.object) + "/" + api::name_of(e.object));
  } else if (e.resource == "configmaps" || e.resource == "secrets") {
    // Volumes follow their sources; a pod waiting for one starts once it is there.
    std::vector<std::pair<std::string, std::string>> in_namespace;
    for (auto& entry : runs)
      if (entry.second->ns == api::namespace_of(e.object))
        in_namespace.emplace_back(entry.first, entry.second->uid);
    for (const auto& [key, uid] : in_namespace)
      if (auto* run = find_run(key, uid)) sync_volumes(*run);
    // A container waiting for a ConfigMap or Secret tries again as soon as one appears.
    // Not a structured binding: clang before 16 cannot capture one in the lambda below.
    for (auto& entry : runs) {
      auto& run = entry.second;
      if (run->ns != api::namespace_of(e.object)) continue;
      run->each_container([&](ContainerRun& c) {
        if (c.reason == "CreateContainerConfigError" && !c.live() && c.restart_timer) {
          c.restart_timer->cancel();
          c.restart_timer.reset();
          start_container(*run, c);
        }
      });
    }
  } else if (e.resource == "persistentvolumeclaims" || e.resource == "nodes") {
    // A claim bound late, or a node that became schedulable again, unblocks pods waiting.
    for (const auto& pod : objects.store().list("pods", api::namespace_of(e.object)))
      if (!runs.count(api::namespace_of(pod) + "/" + api::name_of(pod)))
        queue.add(api::namespace_of(pod) + "/" + api::name_of(pod));
  }
}

void PodManager::Impl::sync(const std::string& key) {
  if (shutting_down) return;
  auto slash = key.find('/');
  auto found = objects.store().get("pods", key.substr(0, slash), key.substr(slash + 1));
  auto it = runs.find(key);
  if (it != runs.end()) {
    PodRun& run = *it->second;
    if (!found || api::uid_of(*found) != run.uid) {
      // The object went or was replaced: the old processes must end before anything new starts.
      if (!run.terminating) begin_termination(run, 0);
      return;
    }
    const bool metadata_changed =
        metadata_of(run.pod, "labels") != metadata_of(*found, "labels") ||
        metadata_of(run.pod, "annotations") != metadata_of(*found, "annotations");
    run.pod = *found;
    if (api::is_terminating(*found) && !run.terminating)
      return begin_termination(run, api::int_at(*found, "metadata.deletionGracePeriodSeconds", 30));
    // Labels and annotations reach downwardAPI files.
    if (metadata_changed) sync_volumes(run);
    return;
  }
  if (!found) return;
  if (api::is_terminating(*found)) return finalize_object(*found);
  if (api::pod_finished(*found)) return;
  start_pod(*found);
}

std::unique_ptr<PodRun> PodManager::Impl::new_run(const json& pod) {
  auto run = std::make_unique<PodRun>();
  run->ns = api::namespace_of(pod);
  run->name = api::name_of(pod);
  run->key = run->ns + "/" + run->name;
  run->uid = api::uid_of(pod);
  run->pod = pod;
  run->dir = opt.paths.pods() / run->ns / run->name;
  const json& spec = pod.contains("spec") ? pod["spec"] : json::object();
  for (const char* list : {"initContainers", "containers"})
    for (const auto& container : spec.value(list, json::array())) {
      auto c = std::make_unique<ContainerRun>();
      c->name = container.value("name", "");
      c->spec = container;
      c->init = std::string(list) == "initContainers";
      c->restart_count = previous_restart_count(pod, c->name);
      c->started = !container.contains("startupProbe");
      (c->init ? run->init_containers : run->containers).push_back(std::move(c));
    }
  run->initialized = run->init_containers.empty();
  if (!run->initialized)
    for (auto& c : run->containers) c->reason = "PodInitializing";
  return run;
}

// The pod waits in Pending: PodScheduled False and a FailedScheduling event, once per reason.
void PodManager::Impl::report_unschedulable(const json& pod, const std::string& problem) {
  if (api::string_at(pod, "status.conditions.0.message") == problem) return;
  events.record(pod, "Warning", "FailedScheduling", problem, "default-scheduler");
  json fresh = pod;
  fresh["status"]["conditions"] = {{{"type", "PodScheduled"},
                                    {"status", "False"},
                                    {"reason", "Unschedulable"},
                                    {"message", problem},
                                    {"lastTransitionTime", api::now_rfc3339()}}};
  (void)objects.update_status(pods_resource(), fresh);
}

void PodManager::Impl::start_pod(const json& pod) {
  auto node = opt.choose_node(pod);
  if (!node) {
    // Bound to a node that is lost: no kubelet is there to run it.
    if (!api::string_at(pod, "spec.nodeName").empty()) return;
    return report_unschedulable(pod, node.error().message);
  }
  auto run = new_run(pod);
  std::error_code ec;
  fs::create_directories(run->dir, ec);
  if (auto problem = prepare_volumes(*run); !problem.empty())
    return report_unschedulable(pod, problem);
  run->start_time = api::now_rfc3339();

  // Bind the node the way the scheduler does, once.
  if (api::string_at(pod, "spec.nodeName").empty()) {
    json bound = pod;
    bound["spec"]["nodeName"] = *node;
    if (auto written = objects.store().update("pods", bound)) run->pod = *written;
    events.record(run->pod, "Normal", "Scheduled",
                  "Successfully assigned " + run->key + " to " + *node, "default-scheduler");
  }
  auto* raw = run.get();
  runs[run->key] = std::move(run);
  schedule_volume_sync(*raw);
  if (!raw->mount_problem.empty()) {
    spdlog::info("pod {}: waiting for its volumes: {}", raw->key, raw->mount_problem);
    events.record(raw->pod, "Warning", "FailedMount", raw->mount_problem, "kubelet");
    return write_status(*raw);
  }
  launch_prepared(*raw);
}

// The rest of a start once the pod's volumes are ready: address, pod files, shim.
void PodManager::Impl::launch_prepared(PodRun& run) {
  // hostNetwork: the node's address and the host's network, unsupervised, as on Kubernetes.
  run.ip = run.host_network() ? std::string(kNodeAddress) : allocate_ip(run.pod);
  if (run.ip.empty()) {
    events.record(run.pod, "Warning", "FailedCreatePodSandBox", "no free pod address", "kubelet");
    runs.erase(run.key);  // the pod's next change tries again
    return;
  }
  write_pod_files(run);
  report_volume_warnings(run);
  spdlog::info("pod {}: starting at {}", run.key, run.ip);
  launch_shim(run);
  write_status(run);
}

PodRun* PodManager::Impl::find_run(const std::string& key, const std::string& uid) {
  auto it = runs.find(key);
  return it != runs.end() && it->second->uid == uid ? it->second.get() : nullptr;
}

double PodManager::Impl::grace_of(const PodRun& run) const {
  return static_cast<double>(api::int_at(run.pod, "spec.terminationGracePeriodSeconds", 30));
}

void PodManager::Impl::write_status(PodRun& run) {
  if (run.for_shutdown || shutting_down) return;
  auto current = objects.store().get("pods", run.ns, run.name);
  if (!current || api::uid_of(*current) != run.uid) return;
  run.pod = *current;
  json next = *current;
  next["status"] = pod_status(run, current->value("status", json::object()));
  if (next == *current) return;
  auto written = objects.update_status(pods_resource(), next);
  if (!written)
    spdlog::warn("pod {}: status update failed: {}", run.key, written.error().message);
  else
    run.pod = *written;
}

// ---- the public face ----

PodManager::PodManager(asio::io_context& io, apiserver::ObjectService& objects,
                       client::EventRecorder& events, PodManagerOptions options)
    : impl_(std::make_unique<Impl>(io, objects, events, std::move(options))) {}

PodManager::~PodManager() = default;

void PodManager::start() {
  impl_->start();
}

void PodManager::shutdown(std::function<void()> done) {
  impl_->shutdown(std::move(done));
}

size_t PodManager::fail_node(const std::string& node) {
  return impl_->fail_node(node);
}

apiserver::Reply PodManager::exec(const std::string& ns, const std::string& pod,
                                  const apiserver::Request& request) {
  return impl_->exec(ns, pod, request);
}

apiserver::Reply PodManager::logs(const api::PodLogRequest& request) {
  return impl_->logs(request);
}

size_t PodManager::running_pods() const {
  return impl_->runs.size();
}

}  // namespace kinda::kubelet
