#include "controller/statefulset/statefulset_controller.hpp"

#include <spdlog/spdlog.h>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "controller/statefulset/controller_history.hpp"

namespace kinda::controller {
namespace {

const api::ResourceInfo& resource(const char* plural) {
  return *api::find_resource(plural);
}

std::string owner_set_name(const Object& pod) {
  const auto* refs = api::find_path(pod, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (api::bool_at(ref, "controller") && api::string_at(ref, "kind") == "StatefulSet")
      return api::string_at(ref, "name");
  return "";
}

}  // namespace

StatefulSetController::StatefulSetController(boost::asio::io_context& io,
                                             apiserver::ObjectService& objects,
                                             client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
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
    if (auto owner = owner_set_name(e.object); !owner.empty()) {
      queue_.add(ns + "/" + owner);
    } else if (!api::controller_uid(e.object).empty()) {
      // owned by something else: none of our business
    } else {
      // An orphan may be adopted by the set whose pods it is named and labelled like.
      for (const auto& set : objects_.store().list("statefulsets", ns))
        if (api::ordinal_of(api::name_of(set), api::name_of(e.object)))
          queue_.add(ns + "/" + api::name_of(set));
    }
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
  Object set = *found;
  std::vector<Object> pods = claim_pods(set);
  auto claims = objects_.store().list("persistentvolumeclaims", ns);
  auto revisions = sync_revisions(set, pods);
  if (!revisions) {
    spdlog::warn("statefulset {}: revisions: {}", key, revisions.error().message);
    return queue_.add_after(key, std::chrono::seconds(1));
  }

  auto plan = plan_statefulset(set, pods, claims, std::chrono::system_clock::now(), *revisions);
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

std::vector<Object> StatefulSetController::claim_pods(const Object& set) {
  const std::string ns = api::namespace_of(set), uid = api::uid_of(set);
  auto selector = api::Selector::from_json(set["spec"].value("selector", Object::object()));
  std::vector<Object> owned;
  for (auto& pod : objects_.store().list("pods", ns)) {
    const bool ours = api::controller_uid(pod) == uid;
    const bool member = api::ordinal_of(api::name_of(set), api::name_of(pod)).has_value();
    const bool matches = selector && selector->matches(api::labels_of(pod));
    if (ours && member && matches) {
      owned.push_back(std::move(pod));
    } else if (ours) {
      // Relabelled out of the selector: released, as the ControllerRefManager does.
      Object released = pod;
      auto& refs = released["metadata"]["ownerReferences"];
      refs.erase(std::remove_if(refs.begin(), refs.end(),
                                [&](const Object& r) { return api::string_at(r, "uid") == uid; }),
                 refs.end());
      if (objects_.store().update("pods", released))
        spdlog::info("statefulset {}/{}: released pod {}", ns, api::name_of(set),
                     api::name_of(pod));
    } else if (api::controller_uid(pod).empty() && member && matches && !api::is_terminating(set) &&
               !api::is_terminating(pod)) {
      Object adopted = pod;
      auto& refs = adopted["metadata"]["ownerReferences"];
      if (!refs.is_array()) refs = Object::array();
      refs.push_back({{"apiVersion", "apps/v1"},
                      {"kind", "StatefulSet"},
                      {"name", api::name_of(set)},
                      {"uid", uid},
                      {"controller", true},
                      {"blockOwnerDeletion", true}});
      if (auto written = objects_.store().update("pods", adopted)) {
        spdlog::info("statefulset {}/{}: adopted pod {}", ns, api::name_of(set), api::name_of(pod));
        owned.push_back(*written);
      }
    }
  }
  return owned;
}

Result<SetRevisions> StatefulSetController::sync_revisions(Object& set,
                                                           const std::vector<Object>& pods) {
  const std::string ns = api::namespace_of(set), uid = api::uid_of(set);
  const auto& revisions_resource = resource("controllerrevisions");
  auto selector = api::Selector::from_json(set["spec"].value("selector", Object::object()));
  std::vector<Object> revisions;
  for (auto& r : objects_.store().list("controllerrevisions", ns)) {
    if (api::controller_uid(r) == uid) {
      revisions.push_back(std::move(r));
    } else if (api::controller_uid(r).empty() && selector && selector->matches(api::labels_of(r)) &&
               !api::is_terminating(set)) {
      // An orphaned revision of a set deleted with --cascade=orphan: adopted with its number.
      Object adopted = r;
      adopted["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                                                 {"kind", "StatefulSet"},
                                                 {"name", api::name_of(set)},
                                                 {"uid", uid},
                                                 {"controller", true},
                                                 {"blockOwnerDeletion", true}}};
      if (auto written = objects_.store().update("controllerrevisions", adopted))
        revisions.push_back(*written);
    }
  }
  long long newest = 0;
  for (const auto& r : revisions) newest = std::max(newest, r.value("revision", 0LL));

  // The update revision: an existing one holding this template (renumbered as the newest when it
  // is an older one: a rollback), else a new one, rehashed past any name collision.
  Object update;
  for (const auto& r : revisions)
    if (holds_template(r, set)) update = r;
  if (update.is_null()) {
    long long collisions = api::int_at(set, "status.collisionCount", 0);
    while (true) {
      auto name = revision_name(set, collisions);
      auto existing = objects_.store().get("controllerrevisions", ns, name);
      if (existing && !holds_template(*existing, set)) {
        ++collisions;
        continue;
      }
      if (existing) {
        update = *existing;
        break;
      }
      auto created = objects_.create(revisions_resource, ns, new_revision(set, name, newest + 1));
      if (!created) return created.error();
      update = *created;
      revisions.push_back(update);
      break;
    }
    if (collisions != api::int_at(set, "status.collisionCount", 0)) {
      set["status"]["collisionCount"] = collisions;
      (void)objects_.update_status(resource("statefulsets"), set);
    }
  } else if (update.value("revision", 0LL) < newest) {
    Object renumbered = update;
    renumbered["revision"] = newest + 1;
    auto written = objects_.store().update("controllerrevisions", renumbered);
    if (!written) return written.error();
    update = *written;
    for (auto& r : revisions)
      if (api::name_of(r) == api::name_of(update)) r = update;
  }

  SetRevisions result;
  result.time_scale = time_scale_;
  result.update_name = api::name_of(update);
  result.current_name = api::string_at(set, "status.currentRevision", result.update_name);
  result.current_set = set;
  bool current_found = false;
  for (const auto& r : revisions)
    if (api::name_of(r) == result.current_name) {
      result.current_set = set_at_revision(set, r);
      current_found = true;
    }
  if (!current_found) result.current_name = result.update_name;

  // Trim: keep the current and update revisions and any a live pod still runs.
  std::vector<std::string> in_use = {result.current_name, result.update_name};
  for (const auto& pod : pods)
    in_use.push_back(api::string_at(pod, "metadata.labels.controller-revision-hash"));
  for (const auto& name :
       revisions_to_trim(revisions, in_use, api::int_at(set, "spec.revisionHistoryLimit", 10)))
    (void)objects_.remove(revisions_resource, ns, name, {});
  return result;
}

}  // namespace kinda::controller
