// What `kinda dns` asks and what it reports, as a pod's stub resolver would decide it: the names
// tried for what the user typed (the pod search path, ndots 5), record types by name, and which
// of several failed tries explains the failure best. Pure logic; cmd_dns.cpp does the asking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/error.hpp"

namespace kinda::cli {

// A, AAAA, SRV, PTR, TXT, SOA or CNAME, any case.
Result<uint16_t> parse_record_type(const std::string& text);

// "10.0.0.1" → "1.0.0.10.in-addr.arpa." as `dig -x` does; nullopt unless an IPv4 address.
std::optional<std::string> reverse_name(const std::string& text);

// The names to ask, in order, each absolute: a name ending in "." as it is; otherwise, like
// resolv.conf's `search <ns>.svc.<domain> svc.<domain> <domain>` with `ndots:5`, the search path
// first and the name itself last (the name first when it has five dots or more).
std::vector<std::string> search_names(const std::string& name, const std::string& ns,
                                      const std::string& domain);

// How one try ended.
struct DnsAttempt {
  enum class Outcome { Answered, NXDomain, NoData, Failed };
  std::string name;
  Outcome outcome = Outcome::Failed;
  std::string failure;  // Failed: "REFUSED", "SERVFAIL", "timed out", …
};

// The line to print when no try was answered, without the "kinda dns: " prefix: the first NODATA
// (the name exists), else the first NXDOMAIN (the user's own name under the search path), else
// the first other failure. E.g. "web.default.svc.cluster.local: NXDOMAIN".
std::string failure_reason(const std::vector<DnsAttempt>& attempts);

}  // namespace kinda::cli
