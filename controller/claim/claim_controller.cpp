#include "controller/claim/claim_controller.hpp"

#include <spdlog/spdlog.h>

#include "api/object.hpp"

namespace kinda::controller {
namespace {

const api::ResourceInfo& claims() {
  return *api::find_resource("persistentvolumeclaims");
}

bool claim_in_use(apiserver::ObjectService& objects, const std::string& ns,
                  const std::string& claim) {
  for (const auto& pod : objects.store().list("pods", ns))
    if (api::pod_protects_claim(pod, claim)) return true;
  return false;
}

}  // namespace

ClaimController::ClaimController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                                 client::EventRecorder& events, std::filesystem::path volumes_root)
    : objects_(objects),
      events_(events),
      volumes_root_(std::move(volumes_root)),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void ClaimController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& claim : objects_.store().list("persistentvolumeclaims"))
    queue_.add(api::namespace_of(claim) + "/" + api::name_of(claim));
}

void ClaimController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "persistentvolumeclaims") {
    if (e.type == storage::EventType::Deleted) {
      // Deleting the claim is the explicit request that releases its data.
      std::error_code ec;
      auto dir = claim_dir(ns, api::name_of(e.object));
      std::filesystem::remove_all(dir, ec);
      spdlog::info("claim {}/{} deleted; removed {}", ns, api::name_of(e.object), dir.string());
      return;
    }
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "pods" && e.type == storage::EventType::Deleted) {
    const auto* volumes = api::find_path(e.object, "spec.volumes");
    if (volumes && volumes->is_array())
      for (const auto& v : *volumes)
        if (auto claim = api::string_at(v, "persistentVolumeClaim.claimName"); !claim.empty())
          queue_.add(ns + "/" + claim);
  }
}

void ClaimController::sync(const std::string& key) {
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("persistentvolumeclaims", ns, name);
  if (!found) return;
  api::Object claim = *found;
  if (api::is_terminating(claim)) {
    if (!claim_in_use(objects_, ns, name)) (void)objects_.finalize(claims(), claim);
    return;
  }
  if (api::string_at(claim, "status.phase") == "Bound") return;
  std::error_code ec;
  auto dir = claim_dir(ns, name);
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    events_.record(claim, "Warning", "ProvisioningFailed",
                   "cannot create " + dir.string() + ": " + ec.message(), "kinda-provisioner");
    return;
  }
  claim["status"] = {
      {"phase", "Bound"},
      {"accessModes", claim["spec"].value("accessModes", api::Object::array())},
      {"capacity", {{"storage", api::string_at(claim, "spec.resources.requests.storage", "0")}}}};
  auto bound = objects_.update_status(claims(), claim);
  if (!bound) {
    queue_.add(key);
    return;
  }
  // The volume name is how kubectl shows the binding; set it once, like the PV binder does.
  api::Object with_volume = *bound;
  with_volume["spec"]["volumeName"] = "pvc-" + api::uid_of(claim);
  (void)objects_.store().update("persistentvolumeclaims", with_volume);
  events_.record(
      claim, "Normal", "ProvisioningSucceeded",
      "Successfully provisioned volume pvc-" + api::uid_of(claim) + " at " + dir.string(),
      "kinda-provisioner");
}

}  // namespace kinda::controller
