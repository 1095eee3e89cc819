// Where every stored pod sits, as the scheduler and the address allocator need it and no more: each
// pod's controller, node, whether it is finished, and its address, kept from the store's change
// stream as running counts. Placing a new pod then costs a copy of a few per-node counters instead
// of listing and parsing every pod (milliseconds each at 1,000 pods, once per pod).
#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include "controller/scheduler/scheduler.hpp"
#include "storage/store.hpp"

namespace kinda::controller {

class PodPlacements {
 public:
  explicit PodPlacements(storage::Store& store);

  // The load on each node for placing a new (unbound) pod of the controller with this uid ("" for
  // a pod without one), as schedule_pod counts it.
  NodeLoad load_for(const std::string& controller_uid) const;
  // Whether a stored pod other than the one with `uid` has `ip` as its status.podIP.
  bool address_held_by_another(const std::string& ip, const std::string& uid) const;

 private:
  struct Placement {
    std::string controller;  // the controller's uid, or ""
    std::string node;        // spec.nodeName, or "" while unbound
    bool counted = false;    // bound and not finished: it weighs on its node
  };

  void apply(const storage::WatchEvent& event);
  void observe(const nlohmann::json& pod);  // a stored pod's current state
  void place(const std::string& uid, Placement placement);
  void forget(const std::string& uid);
  void weigh(const Placement& placement, int delta);
  void note_address(const std::string& uid, const std::string& ip);  // "" when it has none

  std::unordered_map<std::string, Placement> by_uid_;
  std::map<std::string, int> pods_on_node_;
  std::unordered_map<std::string, std::map<std::string, int>> controller_on_node_;
  std::unordered_map<std::string, std::string> address_of_;  // uid → status.podIP
  std::unordered_map<std::string, int> holders_of_;          // status.podIP → how many pods
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
