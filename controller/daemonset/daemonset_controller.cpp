#include "controller/daemonset/daemonset_controller.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "controller/daemonset/daemonset_plan.hpp"
#include "controller/statefulset/controller_history.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

const api::ResourceInfo& resource(const char* plural) {
  return *api::find_resource(plural);
}

json owner_ref(const json& ds) {
  return {{"apiVersion", "apps/v1"}, {"kind", "DaemonSet"}, {"name", api::name_of(ds)},
          {"uid", api::uid_of(ds)},  {"controller", true},  {"blockOwnerDeletion", true}};
}

std::string owner_daemonset(const json& object) {
  const auto* refs = api::find_path(object, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return "";
  for (const auto& ref : *refs)
    if (api::bool_at(ref, "controller") && api::string_at(ref, "kind") == "DaemonSet")
      return api::string_at(ref, "name");
  return "";
}

bool selector_matches(const json& ds, const json& object) {
  auto selector = api::Selector::from_json(ds["spec"].value("selector", json::object()));
  return selector && !selector->empty() && selector->matches(api::labels_of(object));
}

}  // namespace

DaemonSetController::DaemonSetController(boost::asio::io_context& io,
                                         apiserver::ObjectService& objects,
                                         client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void DaemonSetController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& ds : objects_.store().list("daemonsets"))
    queue_.add(api::namespace_of(ds) + "/" + api::name_of(ds));
}

void DaemonSetController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "daemonsets") {
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "nodes") {
    for (const auto& ds : objects_.store().list("daemonsets"))
      queue_.add(api::namespace_of(ds) + "/" + api::name_of(ds));
  } else if (e.resource == "pods") {
    if (auto owner = owner_daemonset(e.object); !owner.empty()) {
      queue_.add(ns + "/" + owner);
    } else if (api::controller_uid(e.object).empty()) {
      for (const auto& ds : objects_.store().list("daemonsets", ns))
        if (selector_matches(ds, e.object)) queue_.add(ns + "/" + api::name_of(ds));
    }
  }
}

std::vector<json> DaemonSetController::claim_pods(const json& ds) {
  const std::string ns = api::namespace_of(ds), uid = api::uid_of(ds);
  std::vector<json> owned;
  for (auto& pod : objects_.store().list("pods", ns)) {
    const bool ours = api::controller_uid(pod) == uid;
    const bool matches = selector_matches(ds, pod);
    if (ours && matches) {
      owned.push_back(std::move(pod));
    } else if (ours) {
      json released = pod;
      auto& refs = released["metadata"]["ownerReferences"];
      refs.erase(std::remove_if(refs.begin(), refs.end(),
                                [&](const json& r) { return api::string_at(r, "uid") == uid; }),
                 refs.end());
      (void)objects_.store().update("pods", released);
    } else if (api::controller_uid(pod).empty() && matches && !api::is_terminating(ds) &&
               !api::is_terminating(pod)) {
      json adopted = pod;
      auto& refs = adopted["metadata"]["ownerReferences"];
      if (!refs.is_array()) refs = json::array();
      refs.push_back(owner_ref(ds));
      if (auto written = objects_.store().update("pods", adopted)) owned.push_back(*written);
    }
  }
  return owned;
}

std::string DaemonSetController::sync_revisions(json& ds, const std::vector<json>& pods) {
  const std::string ns = api::namespace_of(ds), uid = api::uid_of(ds), name = api::name_of(ds);
  const auto& revisions_resource = resource("controllerrevisions");
  std::vector<json> revisions;
  for (auto& r : objects_.store().list("controllerrevisions", ns))
    if (api::controller_uid(r) == uid) revisions.push_back(std::move(r));
  long long newest = 0;
  for (const auto& r : revisions) newest = std::max(newest, r.value("revision", 0LL));
  json update;
  for (const auto& r : revisions)
    if (holds_template(r, ds)) update = r;
  if (update.is_null()) {
    long long collisions = api::int_at(ds, "status.collisionCount", 0);
    while (collisions < 100) {
      auto revision = revision_name(ds, collisions);
      auto existing = objects_.store().get("controllerrevisions", ns, revision);
      if (existing && !(holds_template(*existing, ds) && api::controller_uid(*existing) == uid)) {
        ++collisions;
        continue;
      }
      json fresh = new_revision(ds, revision, newest + 1);
      fresh["metadata"]["ownerReferences"] = json::array({owner_ref(ds)});
      auto created = objects_.create(revisions_resource, ns, fresh);
      if (!created) {
        spdlog::warn("daemonset {}/{}: revision: {}", ns, name, created.error().message);
        return "";
      }
      update = *created;
      revisions.push_back(update);
      break;
    }
    if (collisions != api::int_at(ds, "status.collisionCount", 0))
      ds["status"]["collisionCount"] = collisions;
  } else if (update.value("revision", 0LL) < newest) {
    json renumbered = update;
    renumbered["revision"] = newest + 1;
    if (auto written = objects_.store().update("controllerrevisions", renumbered)) {
      update = *written;
      for (auto& r : revisions)
        if (api::name_of(r) == api::name_of(update)) r = update;
    }
  }
  if (update.is_null()) return "";
  const std::string hash = api::name_of(update).substr(name.size() + 1);
  std::vector<std::string> in_use = {api::name_of(update)};
  for (const auto& pod : pods)
    in_use.push_back(name + "-" + api::string_at(pod, "metadata.labels.controller-revision-hash"));
  for (const auto& old :
       revisions_to_trim(revisions, in_use, api::int_at(ds, "spec.revisionHistoryLimit", 10)))
    (void)objects_.remove(revisions_resource, ns, old, {});
  return hash;
}

void DaemonSetController::sync(const std::string& key) {
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("daemonsets", ns, name);
  if (!found) return;
  json ds = *found;
  if (api::is_terminating(ds)) return;
  auto pods = claim_pods(ds);
  auto hash = sync_revisions(ds, pods);
  if (hash.empty()) return queue_.add_after(key, std::chrono::seconds(1));

  auto plan = plan_daemonset(ds, objects_.store().list("nodes"), pods, hash,
                             std::chrono::system_clock::now(), time_scale_);
  for (const auto& action : plan.actions) {
    if (action.kind == DaemonAction::Kind::CreatePod) {
      auto created = objects_.create(resource("pods"), ns, action.pod);
      if (!created) {
        events_.record(ds, "Warning", "FailedCreate", "Error creating: " + created.error().message,
                       "daemonset-controller");
        continue;
      }
      spdlog::info("daemonset {}: created pod {} ({})", key, api::name_of(*created), action.why);
      events_.record(ds, "Normal", "SuccessfulCreate", "Created pod: " + api::name_of(*created),
                     "daemonset-controller");
    } else {
      auto removed = objects_.remove(resource("pods"), ns, api::name_of(action.pod), {});
      if (!removed && removed.error().code != 404) continue;
      spdlog::info("daemonset {}: deleting pod {} ({})", key, api::name_of(action.pod), action.why);
      events_.record(ds, "Normal", "SuccessfulDelete", "Deleted pod: " + api::name_of(action.pod),
                     "daemonset-controller");
    }
  }
  if (plan.status != found->value("status", json::object())) {
    json next = *found;
    next["status"] = plan.status;
    auto written = objects_.update_status(resource("daemonsets"), next);
    if (!written && written.error().code == 409) queue_.add(key);
  }
  if (plan.requeue_after.count() > 0) queue_.add_after(key, plan.requeue_after);
}

}  // namespace kinda::controller
