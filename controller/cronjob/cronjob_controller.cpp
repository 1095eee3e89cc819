#include "controller/cronjob/cronjob_controller.hpp"

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "controller/cronjob/cronjob_plan.hpp"

namespace kinda::controller {
namespace {

const api::ResourceInfo& cronjob_resource(const char* plural) {
  return *api::find_resource(plural);
}

std::string owner_cronjob_name(const Object& job) {
  const auto* refs = api::find_path(job, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (api::bool_at(ref, "controller") && api::string_at(ref, "kind") == "CronJob")
      return api::string_at(ref, "name");
  return "";
}

}  // namespace

CronJobController::CronJobController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                                     client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void CronJobController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& cj : objects_.store().list("cronjobs"))
    queue_.add(api::namespace_of(cj) + "/" + api::name_of(cj));
}

void CronJobController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "cronjobs") {
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "jobs") {
    if (auto owner = owner_cronjob_name(e.object); !owner.empty()) queue_.add(ns + "/" + owner);
  }
}

void CronJobController::sync(const std::string& key) {
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("cronjobs", ns, name);
  if (!found || api::is_terminating(*found)) return;
  const Object& cj = *found;
  const std::string uid = api::uid_of(cj);
  std::vector<Object> jobs;
  for (auto& job : objects_.store().list("jobs", ns))
    if (api::controller_uid(job) == uid) jobs.push_back(std::move(job));
  std::optional<std::chrono::sys_seconds> last;
  if (auto it = last_scheduled_.find(uid); it != last_scheduled_.end()) last = it->second;

  auto plan = plan_cronjob(cj, jobs, std::chrono::system_clock::now(), time_scale_, last);
  for (const auto& job_name : plan.remove) {
    apiserver::DeleteOptions options;
    options.propagation_policy = "Background";
    (void)objects_.remove(cronjob_resource("jobs"), ns, job_name, options);
  }
  for (const auto& event : plan.events)
    events_.record(cj, event.type, event.reason, event.message, "cronjob-controller");
  Object status = plan.status;
  if (plan.create) {
    const std::string job_name = api::name_of(*plan.create);
    auto created = objects_.create(cronjob_resource("jobs"), ns, *plan.create);
    if (created) {
      spdlog::info("cronjob {}: created job {}", key, job_name);
      events_.record(cj, "Normal", "SuccessfulCreate", "Created job " + job_name,
                     "cronjob-controller");
      if (!status.contains("active") || !status["active"].is_array())
        status["active"] = Object::array();
      status["active"].push_back({{"apiVersion", "batch/v1"},
                                  {"kind", "Job"},
                                  {"name", job_name},
                                  {"namespace", ns},
                                  {"uid", api::uid_of(*created)},
                                  {"resourceVersion", api::resource_version_of(*created)}});
    } else if (created.error().reason != "AlreadyExists") {
      events_.record(cj, "Warning", "FailedCreate",
                     "Error creating job: " + created.error().message, "cronjob-controller");
      status.erase("lastScheduleTime");
      if (cj.contains("status") && cj["status"].contains("lastScheduleTime"))
        status["lastScheduleTime"] = cj["status"]["lastScheduleTime"];
      queue_.add_after(key, std::chrono::seconds(1));
      plan.scheduled.reset();
    }
    if (plan.scheduled) last_scheduled_[uid] = *plan.scheduled;
  }
  if (status != cj.value("status", Object::object())) {
    Object next = cj;
    next["status"] = status;
    auto written = objects_.update_status(cronjob_resource("cronjobs"), next);
    if (!written && written.error().code == 409) queue_.add(key);
  }
  if (plan.requeue_after.count() > 0) queue_.add_after(key, plan.requeue_after);
}

}  // namespace kinda::controller
