#include "controller/claim/claim_controller.hpp"

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "controller/claim/volume_plan.hpp"

namespace kinda::controller {
namespace {

constexpr const char* kComponent = "persistentvolume-controller";
constexpr const char* kReleasePrefix = "release:";  // queue keys of deleted claims' volumes

const api::ResourceInfo& claims() {
  return *api::find_resource("persistentvolumeclaims");
}
const api::ResourceInfo& volumes() {
  return *api::find_resource("persistentvolumes");
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

void ClaimController::queue_pending_claims() {
  for (const auto& claim : objects_.store().list("persistentvolumeclaims"))
    if (api::string_at(claim, "status.phase") != "Bound")
      queue_.add(api::namespace_of(claim) + "/" + api::name_of(claim));
}

void ClaimController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "persistentvolumeclaims") {
    if (e.type == storage::EventType::Deleted) {
      // Deleting the claim is the explicit request that releases its volume.
      queue_.add(kReleasePrefix + api::string_at(e.object, "spec.volumeName") + "/" + ns + "/" +
                 api::name_of(e.object));
      return;
    }
    queue_.add(ns + "/" + api::name_of(e.object));
  } else if (e.resource == "storageclasses" ||
             (e.resource == "persistentvolumes" && e.type != storage::EventType::Deleted)) {
    queue_pending_claims();  // a class or a static volume a waiting claim may have waited for
  } else if (e.resource == "pods" && e.type == storage::EventType::Deleted) {
    const auto* pod_volumes = api::find_path(e.object, "spec.volumes");
    if (pod_volumes && pod_volumes->is_array())
      for (const auto& v : *pod_volumes)
        if (auto claim = api::string_at(v, "persistentVolumeClaim.claimName"); !claim.empty())
          queue_.add(ns + "/" + claim);
  }
}

void ClaimController::sync(const std::string& key) {
  if (key.starts_with(kReleasePrefix)) {
    const std::string rest = key.substr(std::string_view(kReleasePrefix).size());
    const auto first = rest.find('/'), second = rest.find('/', first + 1);
    release(rest.substr(0, first), rest.substr(first + 1, second - first - 1),
            rest.substr(second + 1));
    return;
  }
  auto slash = key.find('/');
  std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto found = objects_.store().get("persistentvolumeclaims", ns, name);
  if (!found) return;
  api::Object claim = *found;
  if (api::is_terminating(claim)) {
    if (!claim_in_use(objects_, ns, name)) (void)objects_.finalize(claims(), claim);
    return;
  }
  if (api::string_at(claim, "status.phase") == "Bound") return follow_bound(claim);
  provision(std::move(claim), key);
}

std::filesystem::path ClaimController::new_volume_dir(const std::string& ns,
                                                      const std::string& claim,
                                                      const std::string& uid) const {
  auto dir = claim_dir(ns, claim);
  for (const auto& volume : objects_.store().list("persistentvolumes"))
    if (api::string_at(volume, "spec.hostPath.path") == dir.string() &&
        api::string_at(volume, "status.phase") != "Bound")
      return volumes_root_ / ns / (claim + "-" + uid.substr(0, 8));
  return dir;
}

void ClaimController::provision(api::Object claim, const std::string& key) {
  const std::string ns = api::namespace_of(claim), name = api::name_of(claim);
  const std::string cls = claim_storage_class(claim);
  const bool explicit_volume = !api::string_at(claim, "spec.volumeName").empty();
  std::optional<api::Object> volume;
  bool by_controller = true;
  if (explicit_volume || (cls.empty() && claim["spec"].contains("storageClassName"))) {
    // Static binding: the volume the claim names, or one of no class ("" asks for that).
    auto chosen = matching_volume(claim, objects_.store().list("persistentvolumes"));
    if (!chosen) {
      events_.record(claim, "Normal", "FailedBinding",
                     explicit_volume ? "volume \"" + api::string_at(claim, "spec.volumeName") +
                                           "\" not found or not available"
                                     : "no persistent volumes available for this claim and no "
                                       "storage class is set",
                     kComponent);
      return;
    }
    auto stored = objects_.store().get("persistentvolumes", "", *chosen);
    if (!stored) return;
    by_controller = !explicit_volume;
    auto bound = objects_.store().update("persistentvolumes", bind_volume(*stored, claim));
    if (!bound) return queue_.add(key);
    volume = *bound;
  } else {
    std::optional<api::Object> storage_class;
    if (!cls.empty()) {
      auto sc = objects_.store().get("storageclasses", "", cls);
      if (!sc) {
        events_.record(claim, "Warning", "ProvisioningFailed",
                       "storageclass.storage.k8s.io \"" + cls + "\" not found", kComponent);
        return;
      }
      storage_class = *sc;
    }
    const std::string volume_name = provisioned_volume_name(claim);
    if (auto existing = objects_.store().get("persistentvolumes", "", volume_name)) {
      volume = *existing;  // provisioned before a failed claim write: bind it now
    } else {
      std::error_code ec;
      auto dir = new_volume_dir(ns, name, api::uid_of(claim));
      std::filesystem::create_directories(dir, ec);
      if (ec) {
        events_.record(claim, "Warning", "ProvisioningFailed",
                       "cannot create " + dir.string() + ": " + ec.message(), kComponent);
        return;
      }
      auto created = objects_.create(
          volumes(), "",
          provisioned_volume(claim, storage_class ? &*storage_class : nullptr, dir.string()));
      if (!created) {
        events_.record(claim, "Warning", "ProvisioningFailed", created.error().message, kComponent);
        return;
      }
      volume = *created;
      // WaitForFirstConsumer waits for the scheduler's node; a directory every node reaches
      // needs none, so kinda binds at once and says so.
      const bool waits = storage_class && api::string_at(*storage_class, "volumeBindingMode") ==
                                              "WaitForFirstConsumer";
      events_.record(claim, "Normal", "ProvisioningSucceeded",
                     "Successfully provisioned volume " + volume_name + " at " + dir.string() +
                         (waits ? " (bound at once although the class says WaitForFirstConsumer: "
                                  "kinda's volumes are directories every node reaches)"
                                : ""),
                     "kinda-provisioner");
    }
  }
  api::Object bound_volume = *volume;
  bound_volume["status"] = {{"phase", "Bound"}};
  (void)objects_.update_status(volumes(), bound_volume);
  // The claim's volumeName and annotations, then its status, as the PV controller writes them.
  auto with_volume =
      objects_.store().update("persistentvolumeclaims", bind_claim(claim, *volume, by_controller));
  if (!with_volume) return queue_.add(key);
  api::Object status = *with_volume;
  status["status"] = bound_claim_status(*volume);
  if (!objects_.update_status(claims(), status)) queue_.add(key);
}

void ClaimController::follow_bound(const api::Object& claim) {
  const std::string volume_name = api::string_at(claim, "spec.volumeName");
  auto volume = volume_name.empty() ? Result<api::Object>(Error::not_found("persistentvolumes", ""))
                                    : objects_.store().get("persistentvolumes", "", volume_name);
  if (!volume) {
    // A claim bound before kinda had PersistentVolumes: its volume, at the directory it has.
    api::Object legacy = claim;
    if (legacy["spec"].value("volumeName", "").empty())
      legacy["spec"]["volumeName"] = provisioned_volume_name(claim);
    auto pv = provisioned_volume(claim, nullptr,
                                 claim_dir(api::namespace_of(claim), api::name_of(claim)).string());
    pv["metadata"]["name"] = legacy["spec"]["volumeName"];
    if (auto capacity = api::find_path(claim, "status.capacity.storage"))
      pv["spec"]["capacity"]["storage"] = *capacity;
    auto created = objects_.create(volumes(), "", pv);
    if (!created) return;
    api::Object bound = *created;
    bound["status"] = {{"phase", "Bound"}};
    (void)objects_.update_status(volumes(), bound);
    (void)objects_.store().update("persistentvolumeclaims", bind_claim(legacy, *created, true));
    return;
  }
  // Expansion: the class allowed it at admission; the volume and the claim's capacity follow.
  if (auto wanted = expansion_request(claim, *volume)) {
    api::Object grown = *volume;
    grown["spec"]["capacity"]["storage"] = *wanted;
    if (!objects_.store().update("persistentvolumes", grown)) return;
    api::Object status = claim;
    status["status"]["capacity"]["storage"] = *wanted;
    status["status"].erase("conditions");
    status["status"].erase("allocatedResources");
    (void)objects_.update_status(claims(), status);
    events_.record(claim, "Normal", "FileSystemResizeSuccessful",
                   "MountVolume.NodeExpandVolume succeeded for volume \"" + volume_name +
                       "\" (a directory: nothing to grow)",
                   "kubelet");
  }
}

void ClaimController::release(const std::string& volume_name, const std::string& ns,
                              const std::string& claim) {
  auto volume = volume_name.empty() ? Result<api::Object>(Error::not_found("persistentvolumes", ""))
                                    : objects_.store().get("persistentvolumes", "", volume_name);
  if (!volume) {
    // A claim that never had a volume object: its directory, as before volumes existed.
    std::error_code ec;
    auto dir = claim_dir(ns, claim);
    for (const auto& pv : objects_.store().list("persistentvolumes"))
      if (api::string_at(pv, "spec.hostPath.path") == dir.string()) return;  // another's
    std::filesystem::remove_all(dir, ec);
    spdlog::info("claim {}/{} deleted; removed {}", ns, claim, dir.string());
    return;
  }
  api::Object released = *volume;
  switch (reclaim_of(*volume, volumes_root_.string())) {
    case Reclaim::kDelete: {
      std::error_code ec;
      const std::string dir = api::string_at(*volume, "spec.hostPath.path");
      std::filesystem::remove_all(dir, ec);
      (void)objects_.finalize(volumes(), *volume);
      spdlog::info("claim {}/{} deleted; deleted volume {} and {}", ns, claim, volume_name, dir);
      return;
    }
    case Reclaim::kRetain:
      released["status"] = {{"phase", "Released"}};
      break;
    case Reclaim::kFail:
      released["status"] = {
          {"phase", "Failed"},
          {"message", "kinda deletes only the volumes it provisioned; the data of " + volume_name +
                          " is kept"}};
      break;
  }
  (void)objects_.update_status(volumes(), released);
}

}  // namespace kinda::controller
