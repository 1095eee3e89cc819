// The PV controller and the local provisioner: provisions each claim of a StorageClass as a
// directory volumes/<ns>/<claim>/ with a PersistentVolume pvc-<claim uid> bound to it, binds
// claims to static volumes, keeps a claim that a pod still uses until the pod is gone
// (pvc-protection), grows a volume when its claim asks for more, and acts on a volume's
// reclaimPolicy only when the claim itself is deleted (Delete removes volume and directory,
// Retain keeps both, Released) — never on pod deletion or scale-down.
#pragma once

#include <filesystem>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class ClaimController {
 public:
  ClaimController(boost::asio::io_context& io, apiserver::ObjectService& objects,
                  client::EventRecorder& events, std::filesystem::path volumes_root);
  void start();
  std::filesystem::path claim_dir(const std::string& ns, const std::string& claim) const {
    return volumes_root_ / ns / claim;
  }

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);
  void provision(api::Object claim, const std::string& key);
  void follow_bound(const api::Object& claim);
  // A deleted claim's volume, by name: its reclaimPolicy applies.
  void release(const std::string& volume_name, const std::string& ns, const std::string& claim);
  // The directory for a new volume of the claim: volumes/<ns>/<claim>, unless a retained volume
  // still holds that one.
  std::filesystem::path new_volume_dir(const std::string& ns, const std::string& claim,
                                       const std::string& uid) const;
  void queue_pending_claims();

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  std::filesystem::path volumes_root_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
