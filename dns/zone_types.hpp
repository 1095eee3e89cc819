// What the DNS zone knows about the cluster: Pods, Services and their settings as plain values.
// The daemon translates its stored objects into these; dns/ never sees the store itself.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/error.hpp"

namespace kinda::dns {

struct ZoneConfig {
  std::string domain = "cluster.local";
  uint32_t ttl = 5;
  // IPv4 ranges ("127.64.0.0/16": the pod range, the service range) whose in-addr.arpa names we
  // answer authoritatively, NXDOMAIN included. Other reverse names are refused unless they name
  // an address we serve.
  std::vector<std::string> reverse_cidrs;
};

// Checks user-supplied configuration; ZoneIndex requires a valid one.
Status validate(const ZoneConfig& config);

struct PodEndpoint {  // one Pod as DNS sees it
  std::string ns, name;
  std::string hostname, subdomain;  // pod.spec.hostname / spec.subdomain
  std::string ip;                   // status.podIP, "" when not yet assigned (then ignored)
  bool ready = false;               // Ready condition True
  bool terminating = false;         // deletionTimestamp set: never published
  std::map<std::string, std::string> labels;
  bool operator==(const PodEndpoint&) const = default;
};

struct ServicePort {
  std::string name;
  std::string protocol = "TCP";
  int port = 0;
};

struct ServiceEntry {
  std::string ns, name;
  bool headless = false;                        // spec.clusterIP == "None"
  std::string cluster_ip;                       // when not headless
  std::string external_name;                    // type ExternalName → CNAME
  bool publish_not_ready = false;               // spec.publishNotReadyAddresses
  std::map<std::string, std::string> selector;  // equality selector over pod labels
  std::vector<ServicePort> ports;
};

}  // namespace kinda::dns
