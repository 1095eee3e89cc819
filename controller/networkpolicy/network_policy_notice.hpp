// kinda does not filter pod traffic, so a NetworkPolicy it stores says so on the policy itself:
// a Warning event NotEnforced once per policy (the API answered its write with a Warning header
// too, but a policy applied by a tool that hides warnings would otherwise be silently inert).
#pragma once

#include <set>
#include <string>

#include "apiserver/registry/object_service.hpp"
#include "client/event_recorder.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

// The event's message.
inline constexpr const char* kNetworkPolicyNotEnforced =
    "kinda does not enforce NetworkPolicies: traffic to and from the selected pods is not "
    "filtered";

class NetworkPolicyNotice {
 public:
  NetworkPolicyNotice(boost::asio::io_context& io, apiserver::ObjectService& objects,
                      client::EventRecorder& events);
  void start();

 private:
  void sync(const std::string& key);  // "<namespace>/<policy>"

  apiserver::ObjectService& objects_;
  client::EventRecorder& events_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
  std::set<std::string> noticed_;  // uids told about since the daemon started
};

}  // namespace kinda::controller
