// The cluster's simulated nodes as v1 Node objects, doing what kubelets and the node lifecycle
// controller do for them. At start-up every node the cluster config names is registered or
// brought up to date (labels, addresses, capacity, nodeInfo); readiness is kept as stored, so a
// failed node stays NotReady across daemon restarts until it is recovered. It keeps the
// node.kubernetes.io/unschedulable taint in step with spec.unschedulable (cordon), and records
// the nodes' events.
#pragma once

#include <string>
#include <vector>

#include "api/object.hpp"
#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"
#include "controller/node/node_status.hpp"

namespace kinda::controller {

// This machine's kernel, OS image, architecture, CPUs and memory, which every node reports.
HostFacts probe_host();

class NodeRegistry {
 public:
  NodeRegistry(boost::asio::io_context& io, apiserver::ObjectService& objects,
               client::EventRecorder& events, std::vector<std::string> names, HostFacts host);

  // Registers the configured nodes, then follows changes to them.
  void start();
  // `kinda node fail`: every condition Unknown (NodeStatusUnknown) and the unreachable taints,
  // as when a node's kubelet stops reporting. The caller ends the node's pods.
  Result<api::Object> mark_lost(const std::string& name);
  // `kinda node recover`: the kubelet reports again; Ready True, the unreachable taints gone.
  Result<api::Object> mark_ready(const std::string& name);

 private:
  void register_node(const std::string& name);
  void sync_cordon_taint(const std::string& name);

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  std::vector<std::string> names_;
  HostFacts host_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
