// The kubelet of kinda: turns Pod objects into a sandbox holder plus container processes,
// restarts containers per restartPolicy with the kubelet's back-off, runs probes, writes pod
// status and events, and stops pods gracefully (SIGTERM, grace period, SIGKILL) before their
// objects go. Pods are keyed by namespace/name, so one identity never has two live copies; after a
// daemon crash the processes left running are re-adopted instead of started again.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/pod_log_request.hpp"
#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_types.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"
#include "kubelet/kubelet_config.hpp"
#include "runtime/isolation.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::kubelet {

struct PodManagerOptions {
  KubeletConfig config;
  storage::ClusterPaths paths;
  runtime::Isolation isolation = runtime::Isolation::None;
  std::string self_exe;  // this binary, started as `kinda sandbox …`
  // The scheduler: the node a pod runs on (its own spec.nodeName while that node is Ready), or an
  // Error whose message says why no node fits; the pod then waits in Pending.
  std::function<Result<std::string>(const nlohmann::json& pod)> choose_node;
  // Whether a stored pod other than the one with `uid` has `ip` as its status.podIP, so a new
  // address is never one the store already gives another pod.
  std::function<bool(const std::string& ip, const std::string& uid)> address_held_by_another;
};

class PodManager {
 public:
  PodManager(boost::asio::io_context& io, apiserver::ObjectService& objects,
             client::EventRecorder& events, PodManagerOptions options);
  ~PodManager();

  // Re-adopts surviving processes, ends strays, then follows the store.
  void start();
  // Stops every pod (highest ordinal of each set first, one at a time), keeping the objects so
  // the next start brings them back; calls done when all processes are gone.
  void shutdown(std::function<void()> done);
  // A node lost for good: every process of its pods is SIGKILLed at once, as a power loss would
  // (no preStop hook, no grace), and the pods' objects go, as the pod GC removes pods bound to a
  // lost node, so their controllers recreate them elsewhere. Returns how many pods it removed.
  size_t fail_node(const std::string& node);
  apiserver::Reply logs(const api::PodLogRequest& request);
  // pods/{name}/exec: the upgrade to a WebSocket running the command in the container (see
  // kubelet/streaming/pod_exec.hpp), or the Status refusing it.
  apiserver::Reply exec(const std::string& ns, const std::string& pod,
                        const apiserver::Request& request);
  size_t running_pods() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::kubelet
