// Keeps each PodDisruptionBudget's status (disruption_plan) in step with the pods it selects and
// the scale of their controllers: woken by the budget, by pods and by any object with
// spec.replicas in its namespace, and by timers when an evicted pod's entry expires.
#pragma once

#include <optional>
#include <string>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class DisruptionController {
 public:
  DisruptionController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                       client::EventRecorder& events, double time_scale = 1.0);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);
  // The sum of spec.replicas of the selected pods' controllers (each counted once, a
  // ReplicaSet's Deployment in its place); nullopt, with `error` set, when one is missing.
  std::optional<long long> controllers_scale(const std::vector<nlohmann::json>& pods,
                                             std::string& error,
                                             std::vector<std::string>& unmanaged) const;

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  double time_scale_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
