#include "controller/disruption/disruption_controller.hpp"

#include <set>

#include <spdlog/spdlog.h>

#include "api/labels.hpp"
#include "api/object.hpp"
#include "controller/disruption/disruption_plan.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

const json* controller_ref(const json& object) {
  const auto* refs = api::find_path(object, "metadata.ownerReferences");
  if (!refs || !refs->is_array()) return nullptr;
  for (const auto& ref : *refs)
    if (ref.is_object() && api::bool_at(ref, "controller")) return &ref;
  return nullptr;
}

bool selects(const json& budget, const json& pod) {
  const auto* selector = api::find_path(budget, "spec.selector");
  if (!selector || selector->is_null()) return false;
  auto parsed = api::Selector::from_json(*selector);
  return parsed && parsed->matches(api::labels_of(pod));
}

}  // namespace

DisruptionController::DisruptionController(boost::asio::io_context& io,
                                           apiserver::ObjectService& objects,
                                           client::EventRecorder& events, double time_scale)
    : objects_(objects),
      events_(events),
      time_scale_(time_scale),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void DisruptionController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& budget : objects_.store().list("poddisruptionbudgets"))
    queue_.add(api::namespace_of(budget) + "/" + api::name_of(budget));
}

void DisruptionController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "poddisruptionbudgets") {
    if (e.type != storage::EventType::Deleted) queue_.add(ns + "/" + api::name_of(e.object));
    return;
  }
  // Pods change what a budget counts; a controller's spec.replicas what it expects.
  const bool pod = e.resource == "pods";
  if (!pod && !api::find_path(e.object, "spec.replicas")) return;
  for (const auto& budget : objects_.store().list("poddisruptionbudgets", ns))
    if (!pod || selects(budget, e.object)) queue_.add(ns + "/" + api::name_of(budget));
}

std::optional<long long> DisruptionController::controllers_scale(
    const std::vector<json>& pods, std::string& error, std::vector<std::string>& unmanaged) const {
  long long total = 0;
  std::set<std::string> counted;
  for (const auto& pod : pods) {
    const json* ref = controller_ref(pod);
    if (!ref) {
      unmanaged.push_back(api::name_of(pod));
      continue;
    }
    const std::string ns = api::namespace_of(pod);
    // Walk up while the owner is itself controlled by something with a scale (a ReplicaSet
    // under its Deployment), as the finders of the disruption controller do.
    json owner;
    const json* at = ref;
    for (int depth = 0; depth < 3 && at; ++depth) {
      const auto* r =
          api::resource_for_kind(api::string_at(*at, "apiVersion"), api::string_at(*at, "kind"));
      if (!r) break;
      auto found = objects_.store().get(r->plural, ns, api::string_at(*at, "name"));
      if (!found || api::uid_of(*found) != api::string_at(*at, "uid")) break;
      if (!api::find_path(*found, "spec.replicas")) break;
      owner = *found;
      at = controller_ref(owner);
    }
    if (owner.is_null()) {
      error = "found no controllers for pod \"" + api::name_of(pod) + "\"";
      return std::nullopt;
    }
    if (counted.insert(api::uid_of(owner)).second) total += api::int_at(owner, "spec.replicas", 1);
  }
  return total;
}

void DisruptionController::sync(const std::string& key) {
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("poddisruptionbudgets", ns, name);
  if (!found) return;
  const json budget = *found;
  std::vector<json> pods;
  for (auto& pod : objects_.store().list("pods", ns))
    if (selects(budget, pod)) pods.push_back(std::move(pod));

  std::string error;
  std::vector<std::string> unmanaged;
  std::optional<long long> scale = 0;
  if (budget_needs_scale(budget)) {
    scale = controllers_scale(pods, error, unmanaged);
    if (!unmanaged.empty())
      events_.record(budget, "Warning", "UnmanagedPods",
                     "Pods selected by this PodDisruptionBudget (selector: " +
                         budget["spec"].value("selector", json::object()).dump() +
                         ") were found to be unmanaged. As a result, the status of the PDB "
                         "cannot be calculated correctly, which may result in undefined "
                         "behavior. To account for these pods please set \".spec.minAvailable\" "
                         "field of the PDB to an integer value.",
                     "controllermanager");
    if (!scale)
      events_.record(budget, "Warning", "CalculateExpectedPodCountFailed",
                     "Failed to calculate the number of expected pods: " + error,
                     "controllermanager");
  }
  auto plan =
      plan_budget_status(budget, pods, scale, error, std::chrono::system_clock::now(), time_scale_);
  if (plan.status != budget.value("status", json::object())) {
    json next = budget;
    next["status"] = plan.status;
    auto written = objects_.update_status(*api::find_resource("poddisruptionbudgets"), next);
    if (!written && written.error().code == 409)
      queue_.add(key);
    else if (!written)
      spdlog::warn("poddisruptionbudget {}: status: {}", key, written.error().message);
  }
  if (plan.recheck_after.count() > 0) queue_.add_after(key, plan.recheck_after);
}

}  // namespace kinda::controller
