// Runs job_plan against the store: woken by changes to Jobs and the pods they own (and by timers
// for back-off, activeDeadlineSeconds and ttlSecondsAfterFinished), one reconcile per wake-up.
#pragma once

#include <string>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class JobController {
 public:
  JobController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                client::EventRecorder& events, double time_scale = 1.0);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  double time_scale_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
