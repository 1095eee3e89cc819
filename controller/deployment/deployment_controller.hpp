// Runs deployment_plan against the store: woken by changes to Deployments, to their ReplicaSets
// (and orphans a selector matches) and to those sets' pods, and by timers for
// progressDeadlineSeconds. It writes ReplicaSets only; the ReplicaSet controller makes pods.
#pragma once

#include <string>
#include <vector>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"
#include "controller/deployment/deployment_plan.hpp"

namespace kinda::controller {

class DeploymentController {
 public:
  DeploymentController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                       client::EventRecorder& events, double time_scale = 1.0);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);
  // Adopts orphaned ReplicaSets the selector matches, releases owned ones it no longer matches.
  std::vector<Object> claim_replicasets(const Object& deployment);
  // A create that met a namesake: a hash collision bumps status.collisionCount.
  void on_name_taken(const Object& deployment, const Object& wanted);

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  double time_scale_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
