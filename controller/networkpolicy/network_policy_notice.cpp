#include "controller/networkpolicy/network_policy_notice.hpp"

#include "api/object.hpp"

namespace kinda::controller {

NetworkPolicyNotice::NetworkPolicyNotice(boost::asio::io_context& io,
                                         apiserver::ObjectService& objects,
                                         client::EventRecorder& events)
    : objects_(objects),
      events_(events),
      queue_(io, [this](const std::string& key) { sync(key); }) {}

void NetworkPolicyNotice::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) {
    if (e.resource == "networkpolicies" && e.type == storage::EventType::Added)
      queue_.add(api::namespace_of(e.object) + "/" + api::name_of(e.object));
  });
}

void NetworkPolicyNotice::sync(const std::string& key) {
  const auto slash = key.find('/');
  auto policy =
      objects_.store().get("networkpolicies", key.substr(0, slash), key.substr(slash + 1));
  if (!policy || !noticed_.insert(api::uid_of(*policy)).second) return;
  events_.record(*policy, "Warning", "NotEnforced", kNetworkPolicyNotEnforced, "kinda");
}

}  // namespace kinda::controller
