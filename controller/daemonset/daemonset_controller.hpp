// Runs the DaemonSet decisions of daemonset_plan against the store: woken by changes to sets,
// their pods and the nodes, keeps the sets' ControllerRevisions (for `kubectl rollout history`
// and `undo`) and writes their status.
#pragma once

#include <string>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class DaemonSetController {
 public:
  DaemonSetController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                      client::EventRecorder& events, double time_scale = 1.0);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);
  // Adopts orphans the selector matches, releases owned pods it no longer matches.
  std::vector<nlohmann::json> claim_pods(const nlohmann::json& ds);
  // The template's revision (created, or renumbered as the newest on a rollback) and the trim of
  // old ones; returns its hash, "" on failure.
  std::string sync_revisions(nlohmann::json& ds, const std::vector<nlohmann::json>& pods);

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  double time_scale_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
