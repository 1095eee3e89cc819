#include "controller/scheduler/pod_placements.hpp"

#include "api/object.hpp"

namespace kinda::controller {

PodPlacements::PodPlacements(storage::Store& store) {
  subscription_ = store.subscribe([this](const storage::WatchEvent& e) { apply(e); });
  for (const auto& pod : store.list("pods")) observe(pod);
}

NodeLoad PodPlacements::load_for(const std::string& controller_uid) const {
  NodeLoad load{pods_on_node_, {}};
  if (auto it = controller_on_node_.find(controller_uid);
      !controller_uid.empty() && it != controller_on_node_.end())
    load.of_controller = it->second;
  return load;
}

void PodPlacements::weigh(const Placement& placement, int delta) {
  if (!placement.counted) return;
  if ((pods_on_node_[placement.node] += delta) == 0) pods_on_node_.erase(placement.node);
  if (placement.controller.empty()) return;
  auto& of_controller = controller_on_node_[placement.controller];
  if ((of_controller[placement.node] += delta) == 0) of_controller.erase(placement.node);
  if (of_controller.empty()) controller_on_node_.erase(placement.controller);
}

void PodPlacements::place(const std::string& uid, Placement placement) {
  auto [slot, added] = by_uid_.try_emplace(uid);
  weigh(slot->second, -1);  // a default Placement (just added) weighs nothing
  slot->second = std::move(placement);
  weigh(slot->second, +1);
}

void PodPlacements::forget(const std::string& uid) {
  if (auto it = by_uid_.find(uid); it != by_uid_.end()) {
    weigh(it->second, -1);
    by_uid_.erase(it);
  }
}

void PodPlacements::note_address(const std::string& uid, const std::string& ip) {
  if (auto old = address_of_.find(uid); old != address_of_.end()) {
    if (old->second == ip) return;
    if (--holders_of_[old->second] == 0) holders_of_.erase(old->second);
    address_of_.erase(old);
  }
  if (ip.empty()) return;
  address_of_[uid] = ip;
  ++holders_of_[ip];
}

bool PodPlacements::address_held_by_another(const std::string& ip, const std::string& uid) const {
  const auto holders = holders_of_.find(ip);
  if (holders == holders_of_.end()) return false;
  const auto own = address_of_.find(uid);
  return holders->second - (own != address_of_.end() && own->second == ip ? 1 : 0) > 0;
}

void PodPlacements::apply(const storage::WatchEvent& event) {
  if (event.resource != "pods") return;
  const std::string uid = api::uid_of(event.object);
  if (event.type == storage::EventType::Deleted) {
    note_address(uid, "");
    forget(uid);
    return;
  }
  observe(event.object);
}

void PodPlacements::observe(const nlohmann::json& pod) {
  const std::string uid = api::uid_of(pod);
  note_address(uid, api::string_at(pod, "status.podIP"));
  Placement placement{api::controller_uid(pod), api::string_at(pod, "spec.nodeName"), false};
  placement.counted = !placement.node.empty() && !api::pod_finished(pod);
  place(uid, std::move(placement));
}

}  // namespace kinda::controller
