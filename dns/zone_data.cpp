#include "dns/zone_data.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace kinda::dns {

namespace {

// The label a published endpoint answers to under its service: the pod's hostname when its
// subdomain names the service (as the Endpoints object's hostname), else its dashed IP, as CoreDNS.
std::string endpoint_label(const api::PodAsEndpoint& endpoint, const PodEndpoint& pod) {
  return endpoint.hostname.empty() ? dashed_ip(pod.ip) : ascii_lower(endpoint.hostname);
}

bool has_cluster_ip(const ServiceEntry& service) {
  return !service.headless && service.external_name.empty() && !service.cluster_ip.empty();
}

template <class Map, class Key>
void erase_from_set(Map& map, const std::string& at, const Key& key) {
  const auto found = map.find(at);
  if (found == map.end()) return;
  found->second.erase(key);
  if (found->second.empty()) map.erase(found);
}

}  // namespace

ZoneData::ZoneData(ZoneConfig config) : config_(std::move(config)) {
  // The daemon validates user configuration with validate(ZoneConfig); reaching here with a bad
  // one is a programming error.
  if (const Status status = validate(config_); !status)
    throw std::invalid_argument(status.error().message);
  zone_ = Name::parse(config_.domain)->lowered();
  for (const std::string& cidr : config_.reverse_cidrs)
    reverse_ranges_.push_back(*Ipv4Range::parse(cidr));
  changed();
}

void ZoneData::changed() {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  serial_ = std::max(serial_, static_cast<uint32_t>(now.count()));
  ++generation_;
}

void ZoneData::update_membership(ServiceState& state, const std::string& key,
                                 const PodEndpoint& pod) {
  // The label follows the pod's hostname, subdomain and address, so it is recomputed each time.
  drop_member(state, key);
  // The endpoint rule the endpoints controller follows too: who is listed, and whether ready.
  const auto endpoint = api::endpoint_of(state.service, pod);
  if (!endpoint || endpoint->listing() == api::EndpointsListing::kLeftOut) return;
  std::string label = endpoint_label(*endpoint, pod);
  state.members_by_label[label].insert(key);
  state.members.emplace(
      key, Member{std::move(label), endpoint->listing() == api::EndpointsListing::kAddress});
}

void ZoneData::drop_member(ServiceState& state, const std::string& key) {
  const auto member = state.members.find(key);
  if (member == state.members.end()) return;
  erase_from_set(state.members_by_label, member->second.label, key);
  state.members.erase(member);
}

void ZoneData::upsert_pod(PodEndpoint pod) {
  const std::string ns = ascii_lower(pod.ns), name = ascii_lower(pod.name);
  NamespaceState& space = namespaces_[ns];
  PodEndpoint& slot = space.pods[name];
  // Most pod updates (restart counts, probe times) change nothing DNS publishes.
  if (slot == pod) return;
  if (!slot.ip.empty()) erase_from_set(pods_by_ip_, slot.ip, ObjectKey{ns, name});
  slot = std::move(pod);
  if (!slot.ip.empty()) pods_by_ip_[slot.ip].insert(ObjectKey{ns, name});
  for (auto& [service_name, state] : space.services) update_membership(state, name, slot);
  changed();
}

void ZoneData::remove_pod(const std::string& ns_name, const std::string& pod_name) {
  const std::string ns = ascii_lower(ns_name), name = ascii_lower(pod_name);
  const auto space = namespaces_.find(ns);
  if (space == namespaces_.end()) return;
  const auto pod = space->second.pods.find(name);
  if (pod == space->second.pods.end()) return;
  if (!pod->second.ip.empty()) erase_from_set(pods_by_ip_, pod->second.ip, ObjectKey{ns, name});
  for (auto& [service_name, state] : space->second.services) drop_member(state, name);
  space->second.pods.erase(pod);
  forget_if_empty(ns);
  changed();
}

void ZoneData::upsert_service(ServiceEntry service) {
  const std::string ns = ascii_lower(service.ns), name = ascii_lower(service.name);
  NamespaceState& space = namespaces_[ns];
  ServiceState& state = space.services[name];
  if (has_cluster_ip(state.service))
    erase_from_set(services_by_ip_, state.service.cluster_ip, ObjectKey{ns, name});
  state.service = std::move(service);
  state.members.clear();
  state.members_by_label.clear();
  for (const auto& [pod_name, pod] : space.pods) update_membership(state, pod_name, pod);
  if (has_cluster_ip(state.service))
    services_by_ip_[state.service.cluster_ip].insert(ObjectKey{ns, name});
  changed();
}

void ZoneData::remove_service(const std::string& ns_name, const std::string& service_name) {
  const std::string ns = ascii_lower(ns_name), name = ascii_lower(service_name);
  const auto space = namespaces_.find(ns);
  if (space == namespaces_.end()) return;
  const auto state = space->second.services.find(name);
  if (state == space->second.services.end()) return;
  if (has_cluster_ip(state->second.service))
    erase_from_set(services_by_ip_, state->second.service.cluster_ip, ObjectKey{ns, name});
  space->second.services.erase(state);
  forget_if_empty(ns);
  changed();
}

void ZoneData::upsert_namespace(const std::string& name) {
  namespaces_[ascii_lower(name)].declared = true;
  changed();
}

void ZoneData::remove_namespace(const std::string& name) {
  const auto space = namespaces_.find(ascii_lower(name));
  if (space == namespaces_.end()) return;
  space->second.declared = false;
  forget_if_empty(space->first);
  changed();
}

void ZoneData::forget_if_empty(const std::string& ns) {
  const auto space = namespaces_.find(ns);
  if (space != namespaces_.end() && !space->second.declared && space->second.pods.empty() &&
      space->second.services.empty()) {
    namespaces_.erase(space);
  }
}

bool ZoneData::namespace_exists(const std::string& ns) const {
  return namespaces_.contains(ns);
}

const ZoneData::ServiceState* ZoneData::service_state(const std::string& ns,
                                                      const std::string& name) const {
  const auto space = namespaces_.find(ns);
  if (space == namespaces_.end()) return nullptr;
  const auto state = space->second.services.find(name);
  return state == space->second.services.end() ? nullptr : &state->second;
}

const ServiceEntry* ZoneData::service(const std::string& ns, const std::string& name) const {
  const ServiceState* state = service_state(ns, name);
  return state ? &state->service : nullptr;
}

std::vector<PublishedEndpoint> ZoneData::published_endpoints(const std::string& ns,
                                                             const std::string& name) const {
  std::vector<PublishedEndpoint> out;
  const ServiceState* state = service_state(ns, name);
  if (!state) return out;
  const auto& pods = namespaces_.at(ns).pods;
  for (const auto& [pod_name, member] : state->members)
    if (member.published) out.push_back({&pods.at(pod_name), member.label});
  return out;
}

std::vector<PublishedEndpoint> ZoneData::published_endpoints_labelled(
    const std::string& ns, const std::string& name, const std::string& label) const {
  std::vector<PublishedEndpoint> out;
  const ServiceState* state = service_state(ns, name);
  if (!state) return out;
  const auto members = state->members_by_label.find(label);
  if (members == state->members_by_label.end()) return out;
  const auto& pods = namespaces_.at(ns).pods;
  for (const std::string& pod_name : members->second)
    if (state->members.at(pod_name).published) out.push_back({&pods.at(pod_name), label});
  return out;
}

std::vector<const ServiceEntry*> ZoneData::services_at(const std::string& ip) const {
  std::vector<const ServiceEntry*> out;
  const auto found = services_by_ip_.find(ip);
  if (found == services_by_ip_.end()) return out;
  for (const auto& [ns, name] : found->second) out.push_back(service(ns, name));
  return out;
}

std::vector<std::pair<const ServiceEntry*, std::string>> ZoneData::endpoints_at(
    const std::string& ip) const {
  std::vector<std::pair<const ServiceEntry*, std::string>> out;
  const auto found = pods_by_ip_.find(ip);
  if (found == pods_by_ip_.end()) return out;
  for (const auto& [ns, pod_name] : found->second) {
    const NamespaceState& space = namespaces_.at(ns);
    for (const auto& [service_name, state] : space.services) {
      const auto member = state.members.find(pod_name);
      if (state.service.headless && member != state.members.end() && member->second.published)
        out.emplace_back(&state.service, member->second.label);
    }
  }
  return out;
}

}  // namespace kinda::dns
