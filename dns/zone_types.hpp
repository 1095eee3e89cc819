// What the DNS zone knows about the cluster: Pods, Services and their settings as plain values.
// The daemon translates its stored objects into these; dns/ never sees the store itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/endpoint_membership.hpp"
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

// A Pod and a Service as DNS sees them are what the endpoint rule reads (selector, address,
// readiness, hostname, ports), so DNS and the endpoints controller decide membership alike.
using PodEndpoint = api::EndpointPod;
using ServicePort = api::EndpointServicePort;
using ServiceEntry = api::EndpointService;

}  // namespace kinda::dns
