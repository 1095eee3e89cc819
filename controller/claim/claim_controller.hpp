// Binds PersistentVolumeClaims to directories volumes/<ns>/<claim>/ (the local "provisioner"),
// keeps a claim that a pod still uses until the pod is gone (pvc-protection), and removes the
// directory only when the claim itself is deleted — never on pod deletion or scale-down.
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

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  std::filesystem::path volumes_root_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
