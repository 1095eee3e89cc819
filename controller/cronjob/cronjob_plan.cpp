#include "controller/cronjob/cronjob_plan.hpp"

#include <algorithm>
#include <cmath>

#include "api/cron_schedule.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;
using namespace std::chrono;

const json& cron_at(const json& o, const std::string& dotted) {
  static const json kNull;
  const json* found = api::find_path(o, dotted);
  return found ? *found : kNull;
}

// "Complete" or "Failed" when the job finished, else "".
std::string finished_as(const Object& job) {
  const json& conditions = cron_at(job, "status.conditions");
  if (!conditions.is_array()) return "";
  for (const auto& c : conditions)
    if (c.value("status", "") == "True" &&
        (c.value("type", "") == "Complete" || c.value("type", "") == "Failed"))
      return c.value("type", "");
  return "";
}

// The scaled time a Job was scheduled for, from its name's suffix.
std::optional<sys_seconds> scheduled_of(const Object& cj, const Object& job) {
  const std::string prefix = api::name_of(cj) + "-", name = api::name_of(job);
  if (!name.starts_with(prefix)) return std::nullopt;
  std::string digits = name.substr(prefix.size());
  if (digits.empty() || digits.size() > 12 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return sys_seconds(minutes(std::stoll(digits)));
}

json reference_to(const Object& job) {
  return {{"apiVersion", "batch/v1"},  {"kind", "Job"},
          {"name", api::name_of(job)}, {"namespace", api::namespace_of(job)},
          {"uid", api::uid_of(job)},   {"resourceVersion", api::resource_version_of(job)}};
}

}  // namespace

sys_seconds CronClock::scaled(system_clock::time_point t) const {
  const double elapsed = duration<double>(t - anchor).count();
  auto v = anchor + duration_cast<system_clock::duration>(duration<double>(elapsed / time_scale));
  return floor<seconds>(v);
}

system_clock::time_point CronClock::real(sys_seconds v) const {
  const double elapsed = duration<double>(v - anchor).count();
  return anchor + duration_cast<system_clock::duration>(duration<double>(elapsed * time_scale));
}

Object job_from_cronjob(const Object& cj, sys_seconds scheduled) {
  const long long minutes_since_epoch =
      duration_cast<minutes>(scheduled.time_since_epoch()).count();
  Object job = {{"apiVersion", "batch/v1"}, {"kind", "Job"}};
  const json& tmpl = cron_at(cj, "spec.jobTemplate");
  job["metadata"] = tmpl.is_object() && tmpl.contains("metadata") && tmpl["metadata"].is_object()
                        ? tmpl["metadata"]
                        : json::object();
  auto& meta = job["metadata"];
  meta.erase("generateName");
  meta["name"] = api::name_of(cj) + "-" + std::to_string(minutes_since_epoch);
  meta["namespace"] = api::namespace_of(cj);
  meta["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] =
      api::format_rfc3339(scheduled);
  meta["ownerReferences"] = {{{"apiVersion", "batch/v1"},
                              {"kind", "CronJob"},
                              {"name", api::name_of(cj)},
                              {"uid", api::uid_of(cj)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}};
  job["spec"] = tmpl.is_object() && tmpl.contains("spec") ? tmpl["spec"] : json::object();
  return job;
}

DueTime most_recent_schedule(const std::string& schedule, sys_seconds after, sys_seconds now) {
  DueTime due;
  auto parsed = api::CronSchedule::parse(schedule);
  if (!parsed) return due;
  // A daemon stopped for long at a small time scale may have missed millions: the search starts
  // a day before now then, as only the most recent time runs anyway.
  if (now - after > hours(24 * 7)) after = now - hours(24);
  for (auto t = parsed->next(after); t && *t <= now; t = parsed->next(*t)) {
    if (due.time) ++due.missed;
    due.time = t;
  }
  return due;
}

CronJobPlan plan_cronjob(const Object& cj, const std::vector<Object>& jobs,
                         system_clock::time_point now, double time_scale,
                         std::optional<sys_seconds> last_scheduled) {
  CronJobPlan plan;
  json status = cj.value("status", json::object());
  if (!status.is_object()) status = json::object();
  const json& spec = cj.value("spec", json::object());
  CronClock clock{
      api::parse_rfc3339(api::string_at(cj, "metadata.creationTimestamp")).value_or(now),
      time_scale > 0 ? time_scale : 1.0};

  // Active jobs, the newest success, and what the history limits trim.
  std::vector<std::string> previously_active;
  if (status.contains("active") && status["active"].is_array())
    for (const auto& ref : status["active"]) previously_active.push_back(ref.value("name", ""));
  json active = json::array();
  std::vector<std::pair<std::string, std::string>> succeeded, failed;  // (start, name)
  std::optional<system_clock::time_point> last_success =
      api::parse_rfc3339(status.value("lastSuccessfulTime", ""));
  for (const auto& job : jobs) {
    if (auto t = scheduled_of(cj, job); t && (!last_scheduled || *t > *last_scheduled))
      last_scheduled = t;
    const std::string done = finished_as(job);
    const std::string start =
        api::string_at(job, "status.startTime", api::string_at(job, "metadata.creationTimestamp"));
    if (done.empty()) {
      if (!api::is_terminating(job)) active.push_back(reference_to(job));
      continue;
    }
    if (std::find(previously_active.begin(), previously_active.end(), api::name_of(job)) !=
        previously_active.end())
      plan.events.push_back({"Normal", "SawCompletedJob",
                             "Saw completed job: " + api::name_of(job) + ", status: " + done});
    if (done == "Complete") {
      succeeded.emplace_back(start, api::name_of(job));
      if (auto t = api::parse_rfc3339(api::string_at(job, "status.completionTime")))
        if (!last_success || *t > *last_success) last_success = t;
    } else {
      failed.emplace_back(start, api::name_of(job));
    }
  }
  auto trim = [&](std::vector<std::pair<std::string, std::string>>& list, long long limit) {
    std::sort(list.begin(), list.end());
    for (size_t i = 0; i + static_cast<size_t>(std::max(0LL, limit)) < list.size(); ++i) {
      if (api::is_terminating(*std::find_if(jobs.begin(), jobs.end(), [&](const Object& j) {
            return api::name_of(j) == list[i].second;
          })))
        continue;
      plan.remove.push_back(list[i].second);
      plan.events.push_back({"Normal", "SuccessfulDelete", "Deleted job " + list[i].second});
    }
  };
  trim(succeeded, spec.value("successfulJobsHistoryLimit", 3LL));
  trim(failed, spec.value("failedJobsHistoryLimit", 1LL));
  if (last_success) status["lastSuccessfulTime"] = api::format_rfc3339(*last_success);
  if (active.empty())
    status.erase("active");
  else
    status["active"] = active;
  plan.status = status;

  if (spec.value("suspend", false)) return plan;
  const std::string schedule = spec.value("schedule", "");
  auto parsed = api::CronSchedule::parse(schedule);
  if (!parsed) {
    plan.events.push_back(
        {"Warning", "UnparseableSchedule",
         "unparseable schedule: \"" + schedule + "\" : " + parsed.error().message});
    return plan;
  }
  const sys_seconds vnow = clock.scaled(now);
  sys_seconds earliest = last_scheduled.value_or(floor<seconds>(clock.anchor));
  if (!last_scheduled)
    if (auto t = api::parse_rfc3339(status.value("lastScheduleTime", "")))
      earliest = std::max(earliest, clock.scaled(*t));
  auto requeue_for_next = [&] {
    if (auto next = parsed->next(vnow)) {
      auto real_next = clock.real(*next);
      plan.requeue_after = duration_cast<milliseconds>(real_next - now) + milliseconds(1);
      if (plan.requeue_after.count() <= 0) plan.requeue_after = milliseconds(1);
    }
  };
  requeue_for_next();
  const json& deadline = cron_at(cj, "spec.startingDeadlineSeconds");
  if (deadline.is_number_integer())
    earliest = std::max(earliest, vnow - seconds(deadline.get<long long>()));
  auto due = most_recent_schedule(schedule, earliest, vnow);
  if (!due.time) return plan;
  if (due.missed > 100)
    plan.events.push_back(
        {"Warning", "TooManyMissedTimes",
         "too many missed start times: " + std::to_string(due.missed) +
             ". Set or decrease .spec.startingDeadlineSeconds or check clock skew"});
  const std::string policy = spec.value("concurrencyPolicy", "Allow");
  if (policy == "Forbid" && !active.empty()) {
    plan.events.push_back({"Normal", "JobAlreadyActive",
                           "Not starting job because prior execution is running and concurrency "
                           "policy is Forbid"});
    // The missed time runs once the active job is done, if still within the deadline; the
    // job's events wake the controller then.
    return plan;
  }
  if (policy == "Replace")
    for (const auto& ref : active) {
      plan.remove.push_back(ref.value("name", ""));
      plan.events.push_back({"Normal", "SuccessfulDelete", "Deleted job " + ref.value("name", "")});
    }
  if (const std::string zone = spec.value("timeZone", "");
      !zone.empty() && zone != "UTC" && zone != "Etc/UTC")
    plan.events.push_back({"Warning", "UnsupportedTimeZone",
                           "kinda reads schedules in UTC: timeZone " + zone +
                               " is not applied to the scheduled time"});
  plan.create = job_from_cronjob(cj, *due.time);
  plan.scheduled = due.time;
  plan.status["lastScheduleTime"] = api::format_rfc3339(floor<seconds>(clock.real(*due.time)));
  return plan;
}

}  // namespace kinda::controller
