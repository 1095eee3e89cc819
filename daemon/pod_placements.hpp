// Where every stored pod sits, as the scheduler and the address allocator need it and no more:
// uid, controller, node, phase and address, kept from the store's change stream. Starting a new
// pod then reads this in memory instead of listing and parsing every pod (milliseconds each at
// 1,000 pods, once per pod).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/store.hpp"

namespace kinda::daemon {

class PodPlacements {
 public:
  explicit PodPlacements(storage::Store& store);

  // Each pod reduced to metadata.uid, metadata.ownerReferences (the controller's), spec.nodeName
  // and status.phase: enough for schedule_pod's spreading and counting.
  const std::vector<nlohmann::json>& pods();
  // Whether a stored pod other than the one with `uid` has `ip` as its status.podIP.
  bool address_held_by_another(const std::string& ip, const std::string& uid) const;

 private:
  void apply(const storage::WatchEvent& event);
  void note_address(const std::string& uid, const std::string& ip);  // "" when it has none

  std::unordered_map<std::string, nlohmann::json> by_uid_;
  std::vector<nlohmann::json> pods_;  // by_uid_'s values, rebuilt when stale
  bool stale_ = true;
  std::unordered_map<std::string, std::string> address_of_;  // uid → status.podIP
  std::unordered_map<std::string, int> holders_of_;          // status.podIP → how many pods
  storage::Subscription subscription_;
};

}  // namespace kinda::daemon
