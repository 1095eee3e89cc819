#include "daemon/statefulset_controller.hpp"

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "daemon/statefulset_plan.hpp"

namespace kinda::daemon {
namespace {

const api::ResourceInfo& resource(const char* plural) {
  return *api::find_resource(plural);
}

std::string owner_set_name(const Object& pod) {
  const auto* refs = api::find_path(pod, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (ref.value("controller", false) && ref.value("kind", "") == "StatefulSet")
      return ref.value("name", "");
  return "";
}

}  // namespace

StatefulSetController::StatefulSetController(boost::asio::io_context& io, ObjectService& objects,
                                             EventRecorder& events)
    : objects_(objects),
      events_(events),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void StatefulSetController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& set : objects_.store().list("statefulsets"))
    queue_.add(api::namespace_of(set) + "/" + api::name_of(set));
}

void StatefulSetController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "statefulsets") {
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "pods") {
    if (auto owner = owner_set_name(e.object); !owner.empty()) queue_.add(ns + "/" + owner);
  } else if (e.resource == "persistentvolumeclaims") {
    for (const auto& set : objects_.store().list("statefulsets", ns))
      queue_.add(ns + "/" + api::name_of(set));
  }
}

void StatefulSetController::sync(const std::string& key) {
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("statefulsets", ns, name);
  if (!found) return;
  const Object& set = *found;
  std::vector<Object> pods;
  for (auto& pod : objects_.store().list("pods", ns))
    if (api::controller_uid(pod) == api::uid_of(set)) pods.push_back(std::move(pod));
  auto claims = objects_.store().list("persistentvolumeclaims", ns);

  auto plan = plan_statefulset(set, pods, claims, std::chrono::system_clock::now());
  for (auto& action : plan.actions) {
    const std::string object_name = api::name_of(action.object);
    switch (action.kind) {
      case SetAction::Kind::CreateClaim: {
        auto created = objects_.create(resource("persistentvolumeclaims"), ns, action.object);
        if (created) {
          events_.record(set, "Normal", "SuccessfulCreate",
                         "create Claim " + object_name + " Pod " + name + " in StatefulSet " +
                             name + " success",
                         "statefulset-controller");
        } else if (created.error().reason != "AlreadyExists") {
          events_.record(set, "Warning", "FailedCreate",
                         "create Claim " + object_name + " for StatefulSet " + name +
                             " failed error: " + created.error().message,
                         "statefulset-controller");
          return;
        }
        break;
      }
      case SetAction::Kind::CreatePod: {
        auto created = objects_.create(resource("pods"), ns, action.object);
        if (!created) {
          if (created.error().reason == "AlreadyExists") return;  // a terminating namesake
          events_.record(set, "Warning", "FailedCreate",
                         "create Pod " + object_name + " in StatefulSet " + name +
                             " failed error: " + created.error().message,
                         "statefulset-controller");
          return;
        }
        spdlog::info("statefulset {}/{}: created pod {} ({})", ns, name, object_name, action.why);
        events_.record(set, "Normal", "SuccessfulCreate",
                       "create Pod " + object_name + " in StatefulSet " + name + " successful",
                       "statefulset-controller");
        break;
      }
      case SetAction::Kind::DeletePod: {
        auto removed = objects_.remove(resource("pods"), ns, object_name, {});
        if (!removed && removed.error().code != 404) return;
        spdlog::info("statefulset {}/{}: deleting pod {} ({})", ns, name, object_name, action.why);
        events_.record(set, "Normal", "SuccessfulDelete",
                       "delete Pod " + object_name + " in StatefulSet " + name + " successful",
                       "statefulset-controller");
        break;
      }
      case SetAction::Kind::DeleteClaim: {
        auto removed = objects_.remove(resource("persistentvolumeclaims"), ns, object_name, {});
        if (removed)
          events_.record(set, "Normal", "SuccessfulDelete",
                         "delete Claim " + object_name + " in StatefulSet " + name + " successful",
                         "statefulset-controller");
        break;
      }
    }
  }
  if (plan.status != set.value("status", Object::object())) {
    Object next = set;
    next["status"] = plan.status;
    auto written = objects_.update_status(resource("statefulsets"), next);
    if (!written && written.error().code == 409) queue_.add(key);
  }
  if (plan.requeue_after.count() > 0) queue_.add_after(key, plan.requeue_after);
}

}  // namespace kinda::daemon
