#include "daemon/pod_placements.hpp"

#include "api/object.hpp"

namespace kinda::daemon {

using nlohmann::json;

namespace {

json placement_of(const json& pod) {
  json reduced = {{"metadata", {{"uid", api::uid_of(pod)}}},
                  {"spec", {{"nodeName", api::string_at(pod, "spec.nodeName")}}},
                  {"status", {{"phase", api::string_at(pod, "status.phase")}}}};
  if (const auto* refs = api::find_path(pod, "metadata.ownerReferences"); refs && refs->is_array())
    for (const auto& ref : *refs)
      if (ref.value("controller", false))
        reduced["metadata"]["ownerReferences"] =
            json::array({{{"uid", ref.value("uid", "")}, {"controller", true}}});
  return reduced;
}

}  // namespace

PodPlacements::PodPlacements(storage::Store& store) {
  subscription_ = store.subscribe([this](const storage::WatchEvent& e) { apply(e); });
  for (const auto& pod : store.list("pods")) {
    by_uid_[api::uid_of(pod)] = placement_of(pod);
    note_address(api::uid_of(pod), api::string_at(pod, "status.podIP"));
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
    if (by_uid_.erase(uid)) stale_ = true;
    return;
  }
  note_address(uid, api::string_at(event.object, "status.podIP"));
  json placement = placement_of(event.object);
  auto [slot, added] = by_uid_.try_emplace(uid, placement);
  if (!added && slot->second == placement) return;  // status updates mostly change nothing here
  slot->second = std::move(placement);
  stale_ = true;
}

const std::vector<json>& PodPlacements::pods() {
  if (stale_) {
    pods_.clear();
    pods_.reserve(by_uid_.size());
    for (const auto& [uid, placement] : by_uid_) pods_.push_back(placement);
    stale_ = false;
  }
  return pods_;
}

}  // namespace kinda::daemon
