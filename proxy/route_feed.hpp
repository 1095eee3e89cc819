// Keeps the proxy's route table in step with the store: Services and EndpointSlices are kept in
// memory as they change (synchronously, from the store's change stream, as the DNS feed does) and
// every change that can move a route produces a new table for the sink. The store does not care
// whether "endpointslices" is a served kind: until it is, no slice is ever written and every
// ClusterIP refuses, which is what a Service without endpoints does.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "proxy/route_table.hpp"
#include "storage/store.hpp"

namespace kinda::proxy {

class RouteFeed {
 public:
  using Sink = std::function<void(RouteTable)>;
  RouteFeed(storage::Store& store, Sink sink) : store_(store), sink_(std::move(sink)) {}
  // Loads every current Service and slice, sends the first table, then follows changes.
  void start();

  const RouteTable& table() const { return table_; }

 private:
  void apply(const storage::WatchEvent& event);
  // Recomputes one Service's routes ("ns/name") and sends the table if they changed.
  void refresh(const std::string& service_key);
  void send();

  storage::Store& store_;
  Sink sink_;
  std::map<std::string, nlohmann::json> services_;  // "ns/name" → Service
  // "ns/service" → slice name → slice, so a Service finds its slices without a scan.
  std::map<std::string, std::map<std::string, nlohmann::json>> slices_;
  // "ns/slice name" → the "ns/service" it was filed under, to refile a slice whose label changes.
  std::map<std::string, std::string> slice_owner_;
  std::map<std::string, std::vector<ServicePortRoute>> routes_;  // "ns/name" → its routes
  RouteTable table_;
  storage::Subscription subscription_;
};

}  // namespace kinda::proxy
