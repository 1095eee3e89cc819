#include "controller/deployment/deployment_controller.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "api/labels.hpp"
#include "api/object.hpp"

namespace kinda::controller {
namespace {

std::string owner_name_of_kind(const Object& o, const char* kind) {
  const auto* refs = api::find_path(o, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (api::bool_at(ref, "controller") && api::string_at(ref, "kind") == kind)
      return api::string_at(ref, "name");
  return "";
}

const api::ResourceInfo& apps_resource(const char* plural) {
  return *api::find_resource(plural);
}

}  // namespace

DeploymentController::DeploymentController(boost::asio::io_context& io,
                                           apiserver::ObjectService& objects,
                                           client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void DeploymentController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& d : objects_.store().list("deployments"))
    queue_.add(api::namespace_of(d) + "/" + api::name_of(d));
}

void DeploymentController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "deployments") {
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "replicasets") {
    if (auto owner = owner_name_of_kind(e.object, "Deployment"); !owner.empty()) {
      queue_.add(ns + "/" + owner);
    } else if (api::controller_uid(e.object).empty()) {
      auto labels = api::labels_of(e.object);
      for (const auto& d : objects_.store().list("deployments", ns)) {
        auto selector = api::Selector::from_json(d["spec"].value("selector", Object::object()));
        if (selector && !selector->empty() && selector->matches(labels))
          queue_.add(ns + "/" + api::name_of(d));
      }
    }
  } else if (e.resource == "pods" && e.type == storage::EventType::Deleted) {
    // Recreate waits for the old pods to be gone.
    if (auto rs_name = owner_name_of_kind(e.object, "ReplicaSet"); !rs_name.empty())
      if (auto rs = objects_.store().get("replicasets", ns, rs_name))
        if (auto owner = owner_name_of_kind(*rs, "Deployment"); !owner.empty())
          queue_.add(ns + "/" + owner);
  }
}

std::vector<Object> DeploymentController::claim_replicasets(const Object& d) {
  const std::string ns = api::namespace_of(d), uid = api::uid_of(d);
  auto selector = api::Selector::from_json(d["spec"].value("selector", Object::object()));
  std::vector<Object> owned;
  for (auto& rs : objects_.store().list("replicasets", ns)) {
    const bool ours = api::controller_uid(rs) == uid;
    const bool matches = selector && !selector->empty() && selector->matches(api::labels_of(rs));
    if (ours && matches) {
      owned.push_back(std::move(rs));
    } else if (ours) {
      Object released = rs;
      auto& refs = released["metadata"]["ownerReferences"];
      refs.erase(std::remove_if(refs.begin(), refs.end(),
                                [&](const Object& r) { return api::string_at(r, "uid") == uid; }),
                 refs.end());
      (void)objects_.store().update("replicasets", released);
    } else if (api::controller_uid(rs).empty() && matches && !api::is_terminating(d) &&
               !api::is_terminating(rs)) {
      Object adopted = rs;
      auto& refs = adopted["metadata"]["ownerReferences"];
      if (!refs.is_array()) refs = Object::array();
      refs.push_back({{"apiVersion", "apps/v1"},
                      {"kind", "Deployment"},
                      {"name", api::name_of(d)},
                      {"uid", uid},
                      {"controller", true},
                      {"blockOwnerDeletion", true}});
      if (auto written = objects_.store().update("replicasets", adopted)) {
        spdlog::info("deployment {}/{}: adopted replicaset {}", ns, api::name_of(d),
                     api::name_of(rs));
        owned.push_back(*written);
      }
    }
  }
  return owned;
}

void DeploymentController::on_name_taken(const Object& d, const Object& wanted) {
  auto existing = objects_.store().get("replicasets", api::namespace_of(d), api::name_of(wanted));
  if (!existing) return;
  if (api::controller_uid(*existing) == api::uid_of(d) && template_matches(*existing, d)) return;
  // Same name, another template: the hash collided; the next hash takes the new count.
  Object next = d;
  next["status"]["collisionCount"] = api::int_at(d, "status.collisionCount", 0) + 1;
  (void)objects_.update_status(apps_resource("deployments"), next);
}

void DeploymentController::sync(const std::string& key) {
  auto slash = key.find('/');
  const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("deployments", ns, name);
  if (!found) return;
  Object d = *found;
  auto owned = claim_replicasets(d);
  std::set<std::string> rs_uids;
  for (const auto& rs : owned) rs_uids.insert(api::uid_of(rs));
  std::vector<Object> pods;
  for (auto& pod : objects_.store().list("pods", ns))
    if (rs_uids.count(api::controller_uid(pod))) pods.push_back(std::move(pod));

  auto plan = plan_deployment(d, owned, pods, std::chrono::system_clock::now(), time_scale_);
  const auto& rs_resource = apps_resource("replicasets");
  if (!plan.create.is_null()) {
    auto created = objects_.create(rs_resource, ns, plan.create);
    if (!created) {
      if (created.error().reason == "AlreadyExists") {
        on_name_taken(d, plan.create);
      } else {
        events_.record(d, "Warning", "FailedCreate",
                       "Failed to create new replica set \"" + api::name_of(plan.create) +
                           "\": " + created.error().message,
                       "deployment-controller");
      }
      return queue_.add_after(key, std::chrono::milliseconds(500));
    }
  }
  for (const auto& rs : plan.update) {
    auto written = objects_.update(rs_resource, ns, api::name_of(rs), rs);
    if (!written) {
      spdlog::info("deployment {}: update of replicaset {}: {}", key, api::name_of(rs),
                   written.error().message);
      return queue_.add_after(key, std::chrono::milliseconds(200));
    }
  }
  for (const auto& rs : plan.remove) (void)objects_.remove(rs_resource, ns, rs, {});
  for (const auto& message : plan.events)
    events_.record(d, "Normal", "ScalingReplicaSet", message, "deployment-controller");

  if (!plan.revision.empty()) {
    Object next = d;
    if (!next["metadata"].contains("annotations") || !next["metadata"]["annotations"].is_object())
      next["metadata"]["annotations"] = Object::object();
    if (next["metadata"]["annotations"].value(kRevisionAnnotation, "") != plan.revision) {
      next["metadata"]["annotations"][kRevisionAnnotation] = plan.revision;
      auto written = objects_.update(apps_resource("deployments"), ns, name, next);
      if (!written) return queue_.add_after(key, std::chrono::milliseconds(200));
      d = *written;
    }
  }
  if (plan.status != d.value("status", Object::object())) {
    Object next = d;
    next["status"] = plan.status;
    auto written = objects_.update_status(apps_resource("deployments"), next);
    if (!written && written.error().code == 409) queue_.add(key);
  }
  if (plan.requeue_after.count() > 0) queue_.add_after(key, plan.requeue_after);
}

}  // namespace kinda::controller
