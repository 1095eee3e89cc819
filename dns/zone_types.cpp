#include "dns/zone_types.hpp"

#include "dns/addresses.hpp"
#include "dns/wire.hpp"

namespace kinda::dns {

Status validate(const ZoneConfig& config) {
  const Result<Name> domain = Name::parse(config.domain);
  if (!domain)
    return Error::bad_request("cluster domain \"" + config.domain +
                              "\": " + domain.error().message);
  if (domain->labels.empty()) return Error::bad_request("cluster domain must not be the DNS root");
  for (const std::string& cidr : config.reverse_cidrs) {
    if (!Ipv4Range::parse(cidr))
      return Error::bad_request("reverse DNS range \"" + cidr +
                                "\" is not an IPv4 CIDR like 127.64.0.0/16");
  }
  return Ok{};
}

}  // namespace kinda::dns
