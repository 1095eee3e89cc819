// Runs replicaset_plan against the store: woken by changes to ReplicaSets and to pods (its own,
// and orphans its selector matches), and by a timer while a pod waits out minReadySeconds.
#pragma once

#include <string>
#include <vector>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"
#include "controller/replicaset/replicaset_plan.hpp"

namespace kinda::controller {

class ReplicaSetController {
 public:
  ReplicaSetController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                       client::EventRecorder& events, double time_scale = 1.0);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);
  // The ControllerRefManager: adopts orphans the selector matches, releases owned pods it no
  // longer matches; returns the pods the set owns afterwards.
  std::vector<Object> claim_pods(const Object& rs);

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  double time_scale_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
