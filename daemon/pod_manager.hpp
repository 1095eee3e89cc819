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

#include "daemon/api_router.hpp"
#include "daemon/cluster_config.hpp"
#include "daemon/event_recorder.hpp"
#include "daemon/object_service.hpp"
#include "daemon/work_queue.hpp"
#include "runtime/isolation.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::daemon {

struct PodManagerOptions {
  ClusterConfig config;
  storage::ClusterPaths paths;
  runtime::Isolation isolation = runtime::Isolation::None;
  std::string self_exe;  // this binary, started as `kinda sandbox …`
  std::string node_name;
};

class PodManager {
 public:
  PodManager(boost::asio::io_context& io, ObjectService& objects, EventRecorder& events,
             PodManagerOptions options);
  ~PodManager();

  // Re-adopts surviving processes, ends strays, then follows the store.
  void start();
  // Stops every pod (highest ordinal of each set first, one at a time), keeping the objects so
  // the next start brings them back; calls done when all processes are gone.
  void shutdown(std::function<void()> done);
  Reply logs(const LogRequest& request);
  size_t running_pods() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::daemon
