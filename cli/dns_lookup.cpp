#include "cli/dns_lookup.hpp"

#include <algorithm>

#include "dns/addresses.hpp"
#include "dns/wire.hpp"

namespace kinda::cli {

namespace {

constexpr size_t kNdots = 5;

}  // namespace

Result<uint16_t> parse_record_type(const std::string& text) {
  using namespace dns::rtype;
  for (const uint16_t type : {kA, kAAAA, kSRV, kPTR, kTXT, kSOA, kCNAME}) {
    if (dns::iequals(text, dns::type_name(type))) return type;
  }
  return Error::bad_request("unknown record type \"" + text +
                            "\"; use A, AAAA, SRV, PTR, TXT, SOA or CNAME");
}

std::optional<std::string> reverse_name(const std::string& text) {
  const auto octets = dns::parse_ipv4(text);
  if (!octets) return std::nullopt;
  std::string out;
  for (auto it = octets->rbegin(); it != octets->rend(); ++it) out += std::to_string(*it) + ".";
  return out + "in-addr.arpa.";
}

std::vector<std::string> search_names(const std::string& name, const std::string& ns,
                                      const std::string& domain) {
  if (name.ends_with('.')) return {name};
  const std::vector<std::string> search = {ns + ".svc." + domain, "svc." + domain, domain};
  std::vector<std::string> out;
  const bool as_is_first = static_cast<size_t>(std::count(name.begin(), name.end(), '.')) >= kNdots;
  if (as_is_first) out.push_back(name + ".");
  for (const std::string& suffix : search) out.push_back(name + "." + suffix + ".");
  if (!as_is_first) out.push_back(name + ".");
  return out;
}

std::string failure_reason(const std::vector<DnsAttempt>& attempts) {
  using Outcome = DnsAttempt::Outcome;
  for (const Outcome wanted : {Outcome::NoData, Outcome::NXDomain, Outcome::Failed}) {
    const auto it = std::find_if(attempts.begin(), attempts.end(),
                                 [wanted](const DnsAttempt& a) { return a.outcome == wanted; });
    if (it == attempts.end()) continue;
    const std::string what = wanted == Outcome::NoData     ? "NODATA (no records of that type)"
                             : wanted == Outcome::NXDomain ? "NXDOMAIN"
                                                           : it->failure;
    const bool absolute = it->name.size() > 1 && it->name.ends_with('.');
    return (absolute ? it->name.substr(0, it->name.size() - 1) : it->name) + ": " + what;
  }
  return "nothing asked";
}

}  // namespace kinda::cli
