#include "controller/job/job_controller.hpp"

#include <spdlog/spdlog.h>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "controller/job/job_plan.hpp"

namespace kinda::controller {
namespace {

const api::ResourceInfo& job_resource(const char* plural) {
  return *api::find_resource(plural);
}

std::string owner_job_name(const Object& pod) {
  const auto* refs = api::find_path(pod, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (api::bool_at(ref, "controller") && api::string_at(ref, "kind") == "Job" &&
        api::string_at(ref, "apiVersion") == "batch/v1")
      return api::string_at(ref, "name");
  return "";
}

}  // namespace

JobController::JobController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                             client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void JobController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& job : objects_.store().list("jobs"))
    queue_.add(api::namespace_of(job) + "/" + api::name_of(job));
}

void JobController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "jobs") {
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "pods") {
    if (auto owner = owner_job_name(e.object); !owner.empty()) queue_.add(ns + "/" + owner);
  }
}

void JobController::sync(const std::string& key) {
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("jobs", ns, name);
  if (!found || api::is_terminating(*found)) return;
  const Object& job = *found;
  // A Job another controller manages (spec.managedBy) is left to it, as in Kubernetes.
  if (auto by = api::string_at(job, "spec.managedBy", "kubernetes.io/job-controller");
      by != "kubernetes.io/job-controller")
    return;
  const std::string uid = api::uid_of(job);
  auto selector = api::Selector::from_json(api::find_path(job, "spec.selector")
                                               ? *api::find_path(job, "spec.selector")
                                               : Object::object());
  std::vector<Object> pods;
  for (auto& pod : objects_.store().list("pods", ns))
    if (api::controller_uid(pod) == uid && selector && selector->matches(api::labels_of(pod)))
      pods.push_back(std::move(pod));

  auto plan = plan_job(job, pods, std::chrono::system_clock::now(), time_scale_);
  if (plan.delete_job) {
    apiserver::DeleteOptions options;
    options.propagation_policy = "Background";
    auto removed = objects_.remove(job_resource("jobs"), ns, name, options);
    if (removed) spdlog::info("job {}: deleted after ttlSecondsAfterFinished", key);
    return;
  }
  for (const auto& pod_name : plan.remove) {
    auto removed = objects_.remove(job_resource("pods"), ns, pod_name, {});
    if (removed)
      events_.record(job, "Normal", "SuccessfulDelete", "Deleted pod: " + pod_name,
                     "job-controller");
  }
  for (auto& pod : plan.create) {
    auto created = objects_.create(job_resource("pods"), ns, pod);
    if (!created) {
      events_.record(job, "Warning", "FailedCreate", "Error creating: " + created.error().message,
                     "job-controller");
      queue_.add_after(key, std::chrono::seconds(1));
      break;
    }
    spdlog::info("job {}: created pod {}", key, api::name_of(*created));
    events_.record(job, "Normal", "SuccessfulCreate", "Created pod: " + api::name_of(*created),
                   "job-controller");
  }
  for (const auto& event : plan.events)
    events_.record(job, event.type, event.reason, event.message, "job-controller");
  if (plan.status != job.value("status", Object::object())) {
    Object next = job;
    next["status"] = plan.status;
    auto written = objects_.update_status(job_resource("jobs"), next);
    if (!written && written.error().code == 409) queue_.add(key);
  }
  if (plan.requeue_after.count() > 0) queue_.add_after(key, plan.requeue_after);
}

}  // namespace kinda::controller
