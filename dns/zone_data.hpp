// The zone's memory of the cluster, indexed for lookups: pods and services per namespace, each
// service's endpoint set (kept current as pods and services change, never rebuilt by scanning),
// and address → owner maps for reverse lookups. Keys are lower-cased; no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dns/addresses.hpp"
#include "dns/wire.hpp"
#include "dns/zone_types.hpp"

namespace kinda::dns {

// An endpoint DNS publishes: the pod and its label under the service (the pod's hostname when
// its subdomain names the service, else its dashed IP, as CoreDNS does).
struct PublishedEndpoint {
  const PodEndpoint* pod;
  std::string label;
};

class ZoneData {
 public:
  explicit ZoneData(ZoneConfig config);

  void upsert_pod(PodEndpoint pod);
  void remove_pod(const std::string& ns, const std::string& name);
  void upsert_service(ServiceEntry service);
  void remove_service(const std::string& ns, const std::string& name);
  void upsert_namespace(const std::string& name);
  void remove_namespace(const std::string& name);

  const Name& zone() const { return zone_; }
  uint32_t ttl() const { return config_.ttl; }
  uint32_t serial() const { return serial_; }
  // Moves on every change of contents, so derived state (cached answers) knows when to go.
  uint64_t generation() const { return generation_; }
  const std::vector<Ipv4Range>& reverse_ranges() const { return reverse_ranges_; }

  // A namespace exists when it was declared or still holds pods or services.
  bool namespace_exists(const std::string& ns) const;
  const ServiceEntry* service(const std::string& ns, const std::string& name) const;
  // The pods the Endpoints object lists in `addresses` (api::endpoint_of: selected, addressed,
  // not terminating, ready unless the service publishes not-ready addresses); ordered by pod
  // name so answers are stable. Names are lower-cased.
  std::vector<PublishedEndpoint> published_endpoints(const std::string& ns,
                                                     const std::string& service) const;
  // The published endpoints of `service` whose label is `label` (lower-cased): a hash lookup,
  // so a pod's own name costs the same behind a service of 3 pods or of 1,000.
  std::vector<PublishedEndpoint> published_endpoints_labelled(const std::string& ns,
                                                              const std::string& service,
                                                              const std::string& label) const;
  // Services whose cluster IP is `ip`.
  std::vector<const ServiceEntry*> services_at(const std::string& ip) const;
  // (headless service, endpoint label) for every published endpoint at `ip`.
  std::vector<std::pair<const ServiceEntry*, std::string>> endpoints_at(
      const std::string& ip) const;

 private:
  // A pod the endpoint rule lists behind a service (api::endpoint_of): its label, and whether
  // DNS publishes it (listed in the Endpoints' addresses, not notReadyAddresses).
  struct Member {
    std::string label;
    bool published = false;
  };
  struct ServiceState {
    ServiceEntry service;
    std::map<std::string, Member> members;  // by pod name
    std::unordered_map<std::string, std::set<std::string>> members_by_label;
  };
  struct NamespaceState {
    bool declared = false;
    std::unordered_map<std::string, PodEndpoint> pods;
    std::unordered_map<std::string, ServiceState> services;
  };
  using ObjectKey = std::pair<std::string, std::string>;  // namespace, name

  void changed();
  static void update_membership(ServiceState& state, const std::string& key,
                                const PodEndpoint& pod);
  static void drop_member(ServiceState& state, const std::string& key);
  void forget_if_empty(const std::string& ns);
  const ServiceState* service_state(const std::string& ns, const std::string& name) const;

  ZoneConfig config_;
  Name zone_;
  std::vector<Ipv4Range> reverse_ranges_;
  uint32_t serial_ = 0;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, NamespaceState> namespaces_;
  std::unordered_map<std::string, std::set<ObjectKey>> pods_by_ip_;
  std::unordered_map<std::string, std::set<ObjectKey>> services_by_ip_;
};

}  // namespace kinda::dns
