#include "dns/zone_lookup.hpp"

#include <algorithm>
#include <optional>

namespace kinda::dns {

namespace {

constexpr uint32_t kSoaRefresh = 7200, kSoaRetry = 1800, kSoaExpire = 86400;
const char* const kSchemaVersion = "1.1.0";

Name child(const Name& parent, std::initializer_list<std::string_view> labels) {
  Name out;
  for (const std::string_view label : labels) out.labels.emplace_back(label);
  out.labels.insert(out.labels.end(), parent.labels.begin(), parent.labels.end());
  return out;
}

// The records one name holds, limited to those the question asks for; `exists` separates
// NODATA from NXDOMAIN.
class Node {
 public:
  Node(const Question& question, uint32_t ttl) : question_(question), ttl_(ttl) {}

  bool wants(uint16_t type) const {
    return question_.type == type || question_.type == rtype::kANY;
  }
  void mark_existing() { exists_ = true; }
  void add(uint16_t type, RData data) {
    exists_ = true;
    // An alias answers every type (RFC 1034 §3.6.2); we do not chase it out of the zone.
    if (wants(type) || type == rtype::kCNAME)
      answers_.push_back({question_.name, type, ttl_, std::move(data)});
  }
  void add_address(const std::string& ip) {
    if (auto data = address_data(ip)) add(*address_type(ip), std::move(*data));
  }
  void add_additional_address(const Name& owner, const std::string& ip) {
    if (auto data = address_data(ip))
      additional_.push_back({owner, *address_type(ip), ttl_, std::move(*data)});
  }

  bool exists() const { return exists_; }
  Resolution finish(std::optional<ResourceRecord> soa) && {
    Resolution out;
    out.authoritative = true;
    if (!exists_) out.rcode = rcode::kNXDomain;
    if (answers_.empty()) {
      if (soa) out.authority.push_back(std::move(*soa));
      return out;
    }
    out.answers = std::move(answers_);
    const bool srv_answer =
        std::any_of(out.answers.begin(), out.answers.end(),
                    [](const ResourceRecord& r) { return r.type == rtype::kSRV; });
    if (srv_answer) out.additional = std::move(additional_);
    return out;
  }

 private:
  const Question& question_;
  uint32_t ttl_;
  bool exists_ = false;
  std::vector<ResourceRecord> answers_, additional_;
};

class Lookup {
 public:
  Lookup(const ZoneData& data, const Question& question)
      : data_(data), name_(question.name.lowered()), node_(question, data.ttl()) {}

  Resolution run() {
    if (name_.ends_with(data_.zone())) return cluster();
    static const Name in_addr_arpa = *Name::parse("in-addr.arpa");
    if (name_.ends_with(in_addr_arpa)) return reverse();
    return refused();
  }

 private:
  static Resolution refused() {
    Resolution out;
    out.rcode = rcode::kRefused;
    return out;
  }

  ResourceRecord soa(const Name& apex) const {
    SoaData soa{child(data_.zone(), {"ns", "dns"}),
                child(data_.zone(), {"hostmaster"}),
                data_.serial(),
                kSoaRefresh,
                kSoaRetry,
                kSoaExpire,
                data_.ttl()};
    return {apex, rtype::kSOA, data_.ttl(), std::move(soa)};
  }

  // Labels below the zone, nearest the zone first: "a.b.svc.<zone>" → {"svc", "b", "a"}.
  std::vector<std::string> relative_labels(const Name& apex) const {
    const size_t below = name_.labels.size() - apex.labels.size();
    return {std::make_reverse_iterator(name_.labels.begin() + below), name_.labels.rend()};
  }

  Resolution cluster() {
    const std::vector<std::string> rel = relative_labels(data_.zone());
    if (rel.empty()) {
      node_.add(rtype::kSOA, soa(data_.zone()).data);
    } else if (rel.size() == 1 && rel[0] == "dns-version") {
      node_.add(rtype::kTXT, TxtData{{kSchemaVersion}});
    } else if (rel[0] == "svc") {
      services(rel);
    } else if (rel[0] == "pod") {
      pods(rel);
    }
    return std::move(node_).finish(soa(data_.zone()));
  }

  // svc.<zone>, <ns>.svc.<zone>, <svc>.<ns>.svc.<zone> and the names below a service.
  void services(const std::vector<std::string>& rel) {
    if (rel.size() == 1) return node_.mark_existing();
    if (!data_.namespace_exists(rel[1])) return;
    if (rel.size() == 2) return node_.mark_existing();
    const ServiceEntry* service = data_.service(rel[1], rel[2]);
    if (!service) return;
    if (rel.size() == 3) return service_records(*service, rel[1], rel[2]);
    if (rel.size() == 4 && rel[3].starts_with('_')) return protocol_node(*service, rel[3]);
    if (rel.size() == 4 && service->headless) return hostname_records(rel[1], rel[2], rel[3]);
    if (rel.size() == 5) srv_records(*service, rel[1], rel[2], rel[3], rel[4]);
  }

  Name service_name(const std::string& ns, const std::string& service) const {
    return child(data_.zone(), {service, ns, "svc"});
  }

  void service_records(const ServiceEntry& service, const std::string& ns,
                       const std::string& name) {
    if (!service.external_name.empty()) {
      node_.mark_existing();
      if (auto target = Name::parse(service.external_name))
        node_.add(rtype::kCNAME, NameData{*target});
      return;
    }
    add_srv(service, ns, name, [](const ServicePort&) { return true; });
    if (!service.headless) return node_.add_address(service.cluster_ip);
    for (const PublishedEndpoint& endpoint : data_.published_endpoints(ns, name))
      node_.add_address(endpoint.pod->ip);
  }

  // "_tcp.<svc>…": an empty non-terminal when some named port speaks that protocol.
  void protocol_node(const ServiceEntry& service, const std::string& protocol) {
    const bool used =
        std::any_of(service.ports.begin(), service.ports.end(), [&](const ServicePort& p) {
          return !p.name.empty() && iequals(protocol.substr(1), p.protocol);
        });
    if (used) node_.mark_existing();
  }

  void hostname_records(const std::string& ns, const std::string& name,
                        const std::string& hostname) {
    for (const PublishedEndpoint& endpoint : data_.published_endpoints_labelled(ns, name, hostname))
      node_.add_address(endpoint.pod->ip);
  }

  void srv_records(const ServiceEntry& service, const std::string& ns, const std::string& name,
                   const std::string& protocol, const std::string& port) {
    if (!protocol.starts_with('_') || !port.starts_with('_')) return;
    add_srv(service, ns, name, [&](const ServicePort& p) {
      return !p.name.empty() && iequals(port.substr(1), p.name) &&
             iequals(protocol.substr(1), p.protocol);
    });
  }

  // SRV records for the service's ports that `matches`: for a ClusterIP service one per port,
  // aimed at the service name; for a headless one, one per published endpoint and port, aimed
  // at the endpoint's name, weights shared evenly. Targets' addresses go to the additional section.
  template <class PortFilter>
  void add_srv(const ServiceEntry& service, const std::string& ns, const std::string& name,
               PortFilter matches) {
    if (!service.external_name.empty()) return;
    std::vector<const ServicePort*> ports;
    for (const ServicePort& p : service.ports) {
      if (matches(p) && p.port > 0 && p.port <= 0xFFFF) ports.push_back(&p);
    }
    if (ports.empty()) return;
    const Name service_target = service_name(ns, name);
    if (!service.headless) {
      for (const ServicePort* p : ports)
        node_.add(rtype::kSRV, SrvData{0, 100, static_cast<uint16_t>(p->port), service_target});
      node_.add_additional_address(service_target, service.cluster_ip);
      return;
    }
    const std::vector<PublishedEndpoint> endpoints = data_.published_endpoints(ns, name);
    const size_t records = endpoints.size() * ports.size();
    if (records == 0) return;
    const auto weight = static_cast<uint16_t>(std::max<size_t>(1, 100 / records));
    for (const PublishedEndpoint& endpoint : endpoints) {
      const Name target = child(service_target, {endpoint.label});
      for (const ServicePort* p : ports)
        node_.add(rtype::kSRV, SrvData{0, weight, static_cast<uint16_t>(p->port), target});
      node_.add_additional_address(target, endpoint.pod->ip);
    }
  }

  // pod.<zone>, <ns>.pod.<zone>, <a-b-c-d>.<ns>.pod.<zone>.
  void pods(const std::vector<std::string>& rel) {
    if (rel.size() == 1) return node_.mark_existing();
    if (!data_.namespace_exists(rel[1])) return;
    if (rel.size() == 2) return node_.mark_existing();
    if (rel.size() != 3) return;
    if (const auto ip = ipv4_from_dashed(rel[2])) node_.add_address(*ip);
  }

  // in-addr.arpa: PTR for the addresses we serve; authoritative inside the configured ranges.
  Resolution reverse() {
    const Name* apex = nullptr;
    std::vector<Name> zones;
    for (const Ipv4Range& range : data_.reverse_ranges()) zones.push_back(range.reverse_zone());
    for (const Name& zone : zones) {
      if (name_.ends_with(zone) && (!apex || zone.labels.size() > apex->labels.size()))
        apex = &zone;
    }
    if (const auto ip = ipv4_from_reverse(name_)) {
      for (const ServiceEntry* service : data_.services_at(*ip))
        node_.add(rtype::kPTR,
                  NameData{service_name(ascii_lower(service->ns), ascii_lower(service->name))});
      for (const auto& [service, label] : data_.endpoints_at(*ip)) {
        const Name target = service_name(ascii_lower(service->ns), ascii_lower(service->name));
        node_.add(rtype::kPTR, NameData{child(target, {label})});
      }
    }
    if (!apex && !node_.exists()) return refused();
    if (apex && name_.labels.size() < 6) node_.mark_existing();  // inside the range, above a host
    if (apex && name_ == *apex) node_.add(rtype::kSOA, soa(*apex).data);
    return std::move(node_).finish(apex ? std::optional(soa(*apex)) : std::nullopt);
  }

  const ZoneData& data_;
  const Name name_;  // lower-cased question name
  Node node_;
};

}  // namespace

Resolution resolve(const ZoneData& data, const Question& question) {
  return Lookup(data, question).run();
}

}  // namespace kinda::dns
