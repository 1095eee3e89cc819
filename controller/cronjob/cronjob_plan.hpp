// The CronJob controller's decisions (Kubernetes' pkg/controller/cronjob) as pure functions.
//
// Time scale: a CronJob's schedule runs on a scaled clock that starts with the CronJob. With
// --time-scale s, a scaled instant v stands for the real instant A + (v - A)·s, where A is the
// CronJob's creationTimestamp: "*/1 * * * *" at s = 0.01 makes a Job every 0.6 real seconds,
// just as the kubelet's and the StatefulSet controller's durations (minReadySeconds) shrink by s.
// Job names carry the scheduled (scaled) time in minutes since the epoch, so they stay unique;
// status times (lastScheduleTime, lastSuccessfulTime) are real, so ages print sensibly.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "api/object.hpp"

namespace kinda::controller {

using api::Object;

struct CronEvent {
  std::string type, reason, message;
};

struct CronJobPlan {
  std::optional<Object> create;     // the Job to make, named
  std::vector<std::string> remove;  // Jobs to delete (Replace, history limits)
  std::vector<CronEvent> events;
  Object status;
  std::optional<std::chrono::sys_seconds> scheduled;  // the scaled time `create` is for
  std::chrono::milliseconds requeue_after{0};
};

// The scaled clock of a CronJob.
struct CronClock {
  std::chrono::system_clock::time_point anchor;  // creationTimestamp
  double time_scale = 1.0;
  std::chrono::sys_seconds scaled(std::chrono::system_clock::time_point real) const;
  std::chrono::system_clock::time_point real(std::chrono::sys_seconds scaled) const;
};

// The Job of a CronJob for one scheduled time: "<cronjob>-<minutes since epoch>".
Object job_from_cronjob(const Object& cronjob, std::chrono::sys_seconds scheduled);

// The most recent schedule time in (after, now], and how many were missed before it.
struct DueTime {
  std::optional<std::chrono::sys_seconds> time;
  long long missed = 0;
};
DueTime most_recent_schedule(const std::string& schedule, std::chrono::sys_seconds after,
                             std::chrono::sys_seconds now);

// `last_scheduled` is the newest scaled time a Job was made for, when the caller knows it.
CronJobPlan plan_cronjob(const Object& cronjob, const std::vector<Object>& jobs,
                         std::chrono::system_clock::time_point now, double time_scale,
                         std::optional<std::chrono::sys_seconds> last_scheduled);

}  // namespace kinda::controller
