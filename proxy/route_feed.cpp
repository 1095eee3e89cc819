#include "proxy/route_feed.hpp"

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "api/resources.hpp"
#include "proxy/route_translation.hpp"

namespace kinda::proxy {

using nlohmann::json;

namespace {

constexpr const char* kSlices = "endpointslices";

std::string key_of(const std::string& ns, const std::string& name) {
  return ns + "/" + name;
}

}  // namespace

void RouteFeed::start() {
  if (!api::find_resource(kSlices))
    spdlog::info("proxy: the API serves no EndpointSlices yet; Services have no endpoints");
  // Keys are taken before the objects move: in `map[key(o)] = std::move(o)` the right side is
  // evaluated first (C++17), and json's by-value operator= may empty `o` before key(o) runs.
  for (auto& svc : store_.list("services")) {
    std::string key = key_of(api::namespace_of(svc), api::name_of(svc));
    services_[key] = std::move(svc);
  }
  for (auto& slice : store_.list(kSlices)) {
    std::string ns = api::namespace_of(slice);
    std::string name = api::name_of(slice);
    std::string owner = key_of(ns, service_name_of_slice(slice));
    slice_owner_[key_of(ns, name)] = owner;
    slices_[owner][name] = std::move(slice);
  }
  for (const auto& [key, svc] : services_) {
    std::vector<json> slices;
    for (const auto& [name, slice] : slices_[key]) slices.push_back(slice);
    routes_[key] = routes_for_service(svc, slices);
  }
  send();
  subscription_ = store_.subscribe([this](const storage::WatchEvent& e) { apply(e); });
}

void RouteFeed::apply(const storage::WatchEvent& e) {
  const bool gone = e.type == storage::EventType::Deleted;
  const auto& o = e.object;
  const std::string ns = api::namespace_of(o);
  if (e.resource == "services") {
    std::string key = key_of(ns, api::name_of(o));
    if (gone)
      services_.erase(key);
    else
      services_[key] = o;
    refresh(key);
  } else if (e.resource == kSlices) {
    std::string slice_key = key_of(ns, api::name_of(o));
    std::string before = slice_owner_.count(slice_key) ? slice_owner_[slice_key] : "";
    std::string owner = key_of(ns, service_name_of_slice(o));
    if (!before.empty() && (gone || before != owner)) {
      slices_[before].erase(api::name_of(o));
      if (slices_[before].empty()) slices_.erase(before);
      slice_owner_.erase(slice_key);
      refresh(before);
    }
    if (!gone) {
      slices_[owner][api::name_of(o)] = o;
      slice_owner_[slice_key] = owner;
      refresh(owner);
    }
  }
}

void RouteFeed::refresh(const std::string& service_key) {
  std::vector<ServicePortRoute> routes;
  if (auto svc = services_.find(service_key); svc != services_.end()) {
    std::vector<json> slices;
    if (auto it = slices_.find(service_key); it != slices_.end())
      for (const auto& [name, slice] : it->second) slices.push_back(slice);
    routes = routes_for_service(svc->second, slices);
  }
  auto current = routes_.find(service_key);
  const bool unchanged = current == routes_.end() ? routes.empty() : routes == current->second;
  if (unchanged) return;  // a status-only write, or a slice of a Service not (yet) there
  if (routes.empty())
    routes_.erase(current);
  else
    routes_[service_key] = std::move(routes);
  send();
}

void RouteFeed::send() {
  table_.routes.clear();
  for (const auto& [key, routes] : routes_)
    table_.routes.insert(table_.routes.end(), routes.begin(), routes.end());
  if (sink_) sink_(table_);
}

}  // namespace kinda::proxy
