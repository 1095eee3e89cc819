#include "daemon/dns_feed.hpp"

#include "api/endpoint_views.hpp"
#include "api/object.hpp"

namespace kinda::daemon {

void DnsFeed::start() {
  for (const auto& ns : store_.list("namespaces")) zone_.upsert_namespace(api::name_of(ns));
  for (const auto& svc : store_.list("services"))
    zone_.upsert_service(api::endpoint_service_of(svc));
  for (const auto& pod : store_.list("pods")) zone_.upsert_pod(api::endpoint_pod_of(pod));
  subscription_ = store_.subscribe([this](const storage::WatchEvent& e) { apply(e); });
}

void DnsFeed::apply(const storage::WatchEvent& e) {
  bool gone = e.type == storage::EventType::Deleted;
  const auto& o = e.object;
  if (e.resource == "pods") {
    if (gone)
      zone_.remove_pod(api::namespace_of(o), api::name_of(o));
    else
      zone_.upsert_pod(api::endpoint_pod_of(o));
  } else if (e.resource == "services") {
    if (gone)
      zone_.remove_service(api::namespace_of(o), api::name_of(o));
    else
      zone_.upsert_service(api::endpoint_service_of(o));
  } else if (e.resource == "namespaces") {
    if (gone)
      zone_.remove_namespace(api::name_of(o));
    else
      zone_.upsert_namespace(api::name_of(o));
  }
}

}  // namespace kinda::daemon
