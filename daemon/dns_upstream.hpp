// Where the cluster's DNS sends names outside the cluster domain, as config.json's dns.upstream
// and `kinda up --dns-upstream` spell it: "host" (the host's resolv.conf nameservers), "none"
// (REFUSED, for offline demos) or an explicit list of ADDRESS:PORT.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "dns/upstream.hpp"

namespace kinda::daemon {

struct DnsUpstream {
  enum class Mode { Host, None, Servers };
  Mode mode = Mode::Host;
  std::vector<dns::UpstreamServer> servers;  // Mode::Servers only, never empty there

  // "host", "none" or ["127.0.0.1:5353", …]: the form config.json holds.
  nlohmann::json to_json() const;
  // For logs and `kinda status`: "host", "none" or "127.0.0.1:5353, …".
  std::string describe() const;
};

// config.json's dns.upstream value; errors name the key and the accepted forms.
Result<DnsUpstream> dns_upstream_from_json(const nlohmann::json& value);
// --dns-upstream: "host", "none" or a comma-separated list of ADDRESS:PORT.
Result<DnsUpstream> dns_upstream_from_flag(const std::string& text);

}  // namespace kinda::daemon
