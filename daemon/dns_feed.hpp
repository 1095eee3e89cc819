// Keeps the DNS zone index in step with the store: pods, services and namespaces are translated
// into the zone's plain records on every change, so queries never touch SQLite. It follows the
// pods themselves, not the Endpoints the controller writes from them, so a pod's new address is
// answered as soon as the API stored it; both apply the same rule (api/endpoint_membership).
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

}  // namespace kinda::daemon
