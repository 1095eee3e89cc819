#include "daemon/dns_feed.hpp"

#include "api/labels.hpp"
#include "api/object.hpp"

namespace kinda::daemon {

using nlohmann::json;

dns::PodEndpoint to_pod_endpoint(const json& pod) {
  dns::PodEndpoint p;
  p.ns = api::namespace_of(pod);
  p.name = api::name_of(pod);
  p.hostname = api::string_at(pod, "spec.hostname");
  p.subdomain = api::string_at(pod, "spec.subdomain");
  p.ip = api::string_at(pod, "status.podIP");
  p.ready = api::pod_is_ready(pod);
  p.terminating = api::is_terminating(pod);
  p.labels = api::labels_of(pod);
  return p;
}

dns::ServiceEntry to_service_entry(const json& svc) {
  dns::ServiceEntry s;
  s.ns = api::namespace_of(svc);
  s.name = api::name_of(svc);
  auto cluster_ip = api::string_at(svc, "spec.clusterIP");
  s.headless = cluster_ip == "None";
  if (!s.headless) s.cluster_ip = cluster_ip;
  if (api::string_at(svc, "spec.type") == "ExternalName")
    s.external_name = api::string_at(svc, "spec.externalName");
  const auto* publish = api::find_path(svc, "spec.publishNotReadyAddresses");
  s.publish_not_ready = publish && publish->is_boolean() && publish->get<bool>();
  if (const auto* selector = api::find_path(svc, "spec.selector");
      selector && selector->is_object())
    for (auto& [k, v] : selector->items())
      if (v.is_string()) s.selector[k] = v.get<std::string>();
  if (const auto* ports = api::find_path(svc, "spec.ports"); ports && ports->is_array())
    for (const auto& port : *ports)
      // Null fields (`name:` left empty) read as absent: a throw here would run inside the
      // store's change fan-out, and at start-up would keep the daemon from starting at all.
      s.ports.push_back({api::string_at(port, "name"), api::string_at(port, "protocol", "TCP"),
                         static_cast<int>(api::int_at(port, "port", 0))});
  return s;
}

void DnsFeed::start() {
  for (const auto& ns : store_.list("namespaces")) zone_.upsert_namespace(api::name_of(ns));
  for (const auto& svc : store_.list("services")) zone_.upsert_service(to_service_entry(svc));
  for (const auto& pod : store_.list("pods")) zone_.upsert_pod(to_pod_endpoint(pod));
  subscription_ = store_.subscribe([this](const storage::WatchEvent& e) { apply(e); });
}

void DnsFeed::apply(const storage::WatchEvent& e) {
  bool gone = e.type == storage::EventType::Deleted;
  const auto& o = e.object;
  if (e.resource == "pods") {
    if (gone)
      zone_.remove_pod(api::namespace_of(o), api::name_of(o));
    else
      zone_.upsert_pod(to_pod_endpoint(o));
  } else if (e.resource == "services") {
    if (gone)
      zone_.remove_service(api::namespace_of(o), api::name_of(o));
    else
      zone_.upsert_service(to_service_entry(o));
  } else if (e.resource == "namespaces") {
    if (gone)
      zone_.remove_namespace(api::name_of(o));
    else
      zone_.upsert_namespace(api::name_of(o));
  }
}

}  // namespace kinda::daemon
