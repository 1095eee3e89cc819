// Answers one question from the zone's data, following the Kubernetes DNS-based service
// discovery specification (schema 1.1.0): records, NXDOMAIN versus NODATA with the zone's SOA,
// and REFUSED for names the cluster is not authoritative for. Pure logic.
#pragma once

#include "dns/records.hpp"
#include "dns/zone_data.hpp"

namespace kinda::dns {

Resolution resolve(const ZoneData& data, const Question& question);

}  // namespace kinda::dns
