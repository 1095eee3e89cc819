// Keeps the DNS zone index in step with the store: pods, services and namespaces are translated
// into the zone's plain records on every change, so queries never touch SQLite.
#pragma once

#include "dns/zone_index.hpp"
#include "storage/store.hpp"

namespace kinda::daemon {

class DnsFeed {
 public:
  DnsFeed(storage::Store& store, dns::ZoneIndex& zone) : store_(store), zone_(zone) {}
  // Loads every current object, then follows changes.
  void start();

 private:
  void apply(const storage::WatchEvent& event);

  storage::Store& store_;
  dns::ZoneIndex& zone_;
  storage::Subscription subscription_;
};

dns::PodEndpoint to_pod_endpoint(const nlohmann::json& pod);
dns::ServiceEntry to_service_entry(const nlohmann::json& service);

}  // namespace kinda::daemon
