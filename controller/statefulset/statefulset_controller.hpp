// Runs the StatefulSet decisions of statefulset_plan against the store: woken by changes to sets
// and the pods they own (and by timers for minReadySeconds), one reconcile step per wake-up.
#pragma once

#include <memory>
#include <string>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"
#include "controller/statefulset/statefulset_plan.hpp"

namespace kinda::controller {

class StatefulSetController {
 public:
  StatefulSetController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                        client::EventRecorder& events, double time_scale = 1.0);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);
  // Adopts orphans named and labelled like the set's pods, releases owned pods that no longer
  // match its selector; returns the pods the set owns afterwards.
  std::vector<Object> claim_pods(const Object& set);
  // Reads, creates, renumbers (on rollback) and trims the set's ControllerRevisions.
  Result<SetRevisions> sync_revisions(Object& set, const std::vector<Object>& pods);

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  double time_scale_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
