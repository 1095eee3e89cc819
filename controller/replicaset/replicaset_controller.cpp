#include "controller/replicaset/replicaset_controller.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

std::string controller_of_kind(const Object& o, const char* kind) {
  const auto* refs = api::find_path(o, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (api::bool_at(ref, "controller") && api::string_at(ref, "kind") == kind)
      return api::string_at(ref, "name");
  return "";
}

Object replicaset_owner_ref(const Object& rs) {
  return {{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}, {"name", api::name_of(rs)},
          {"uid", api::uid_of(rs)},  {"controller", true},   {"blockOwnerDeletion", true}};
}

}  // namespace

ReplicaSetController::ReplicaSetController(boost::asio::io_context& io,
                                           apiserver::ObjectService& objects,
                                           client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void ReplicaSetController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& rs : objects_.store().list("replicasets"))
    queue_.add(api::namespace_of(rs) + "/" + api::name_of(rs));
}

void ReplicaSetController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "replicasets") {
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "pods") {
    if (auto owner = controller_of_kind(e.object, "ReplicaSet"); !owner.empty()) {
      queue_.add(ns + "/" + owner);
    } else if (api::controller_uid(e.object).empty()) {
      auto labels = api::labels_of(e.object);
      for (const auto& rs : objects_.store().list("replicasets", ns)) {
        auto selector = api::Selector::from_json(rs["spec"].value("selector", Object::object()));
        if (selector && !selector->empty() && selector->matches(labels))
          queue_.add(ns + "/" + api::name_of(rs));
      }
    }
  }
}

std::vector<Object> ReplicaSetController::claim_pods(const Object& rs) {
  const std::string ns = api::namespace_of(rs), uid = api::uid_of(rs);
  auto selector = api::Selector::from_json(rs["spec"].value("selector", Object::object()));
  std::vector<Object> owned;
  for (auto& pod : objects_.store().list("pods", ns)) {
    const bool ours = api::controller_uid(pod) == uid;
    const bool matches = selector && !selector->empty() && selector->matches(api::labels_of(pod));
    if (ours && matches) {
      owned.push_back(std::move(pod));
    } else if (ours) {
      Object released = pod;
      auto& refs = released["metadata"]["ownerReferences"];
      refs.erase(std::remove_if(refs.begin(), refs.end(),
                                [&](const Object& r) { return api::string_at(r, "uid") == uid; }),
                 refs.end());
      if (objects_.store().update("pods", released))
        spdlog::info("replicaset {}/{}: released pod {}", ns, api::name_of(rs), api::name_of(pod));
    } else if (api::controller_uid(pod).empty() && matches && !api::is_terminating(rs) &&
               !api::is_terminating(pod) && pod_is_active(pod)) {
      Object adopted = pod;
      auto& refs = adopted["metadata"]["ownerReferences"];
      if (!refs.is_array()) refs = Object::array();
      refs.push_back(replicaset_owner_ref(rs));
      if (auto written = objects_.store().update("pods", adopted)) {
        spdlog::info("replicaset {}/{}: adopted pod {}", ns, api::name_of(rs), api::name_of(pod));
        owned.push_back(*written);
      }
    }
  }
  return owned;
}

void ReplicaSetController::sync(const std::string& key) {
  auto slash = key.find('/');
  const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("replicasets", ns, name);
  if (!found) return;
  const Object rs = *found;
  const auto& pods_resource = *api::find_resource("pods");
  auto pods = claim_pods(rs);
  // The pods of every set with the same owner (a Deployment's old and new sets) count when
  // ranking which pods share a node.
  std::vector<Object> related;
  if (const std::string owner = api::controller_uid(rs); !owner.empty()) {
    std::set<std::string> siblings;
    for (const auto& other : objects_.store().list("replicasets", ns))
      if (api::controller_uid(other) == owner) siblings.insert(api::uid_of(other));
    for (auto& pod : objects_.store().list("pods", ns))
      if (siblings.count(api::controller_uid(pod)) && pod_is_active(pod))
        related.push_back(std::move(pod));
  }
  auto plan = plan_replicaset(rs, pods, std::chrono::system_clock::now(), time_scale_, related);

  bool failed = false;
  std::string failure;
  for (long long i = 0; i < plan.create && !failed; ++i) {
    auto created = objects_.create(pods_resource, ns, pod_from_replicaset(rs));
    if (!created) {
      failed = true;
      failure = created.error().message;
      events_.record(rs, "Warning", "FailedCreate", "Error creating: " + failure,
                     "replicaset-controller");
      break;
    }
    events_.record(rs, "Normal", "SuccessfulCreate", "Created pod: " + api::name_of(*created),
                   "replicaset-controller");
  }
  for (const auto& pod : plan.delete_names) {
    auto removed = objects_.remove(pods_resource, ns, pod, {});
    if (!removed && removed.error().code != 404) continue;
    events_.record(rs, "Normal", "SuccessfulDelete", "Deleted pod: " + pod,
                   "replicaset-controller");
  }
  if (plan.create > 0 || !plan.delete_names.empty()) {
    // The status counts the pods as they are after these writes.
    plan = plan_replicaset(rs, claim_pods(rs), std::chrono::system_clock::now(), time_scale_);
    plan.create = 0;
  }
  // ReplicaFailure, as the controller sets it when it cannot create or delete pods.
  Object conditions = Object::array();
  if (failed)
    conditions.push_back({{"type", "ReplicaFailure"},
                          {"status", "True"},
                          {"reason", "FailedCreate"},
                          {"message", failure},
                          {"lastTransitionTime", api::now_rfc3339()}});
  if (!conditions.empty())
    plan.status["conditions"] = conditions;
  else
    plan.status.erase("conditions");
  if (plan.status != rs.value("status", Object::object())) {
    Object next = rs;
    next["status"] = plan.status;
    auto written = objects_.update_status(*api::find_resource("replicasets"), next);
    if (!written && written.error().code == 409) queue_.add(key);
  }
  if (failed) queue_.add_after(key, std::chrono::seconds(2));
  if (plan.requeue_after.count() > 0) queue_.add_after(key, plan.requeue_after);
}

}  // namespace kinda::controller
