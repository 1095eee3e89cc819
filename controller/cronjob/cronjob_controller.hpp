// Runs cronjob_plan against the store: woken by changes to CronJobs and the Jobs they own, and by
// a timer at each CronJob's next (scaled) schedule time.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class CronJobController {
 public:
  CronJobController(boost::asio::io_context& io, apiserver::ObjectService& objects,
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
  // The newest scaled time each CronJob (by uid) made a Job for: exact, where lastScheduleTime
  // (real, in whole seconds) maps back to a scaled time only roughly at small time scales.
  std::map<std::string, std::chrono::sys_seconds> last_scheduled_;
};

}  // namespace kinda::controller
