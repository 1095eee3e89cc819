// `kinda dns` decides like a pod's stub resolver: which names to try, in which order, and what
// to say when none answers.
#include <catch2/catch.hpp>

#include "cli/dns_lookup.hpp"
#include "dns/wire.hpp"

using namespace kinda::cli;
using Outcome = DnsAttempt::Outcome;

TEST_CASE("a relative name tries the pod search path first, then itself", "[cli][dns]") {
  CHECK(search_names("web-0.web", "shop", "cluster.local") ==
        std::vector<std::string>{"web-0.web.shop.svc.cluster.local.",
                                 "web-0.web.svc.cluster.local.", "web-0.web.cluster.local.",
                                 "web-0.web."});
}

TEST_CASE("a name with five dots is tried as it is first; an absolute name only as it is",
          "[cli][dns]") {
  CHECK(search_names("a.b.c.d.e.f", "default", "cluster.local").front() == "a.b.c.d.e.f.");
  CHECK(search_names("web.default.svc.cluster.local.", "default", "cluster.local") ==
        std::vector<std::string>{"web.default.svc.cluster.local."});
}

TEST_CASE("an IPv4 address becomes its in-addr.arpa name, as dig -x does", "[cli][dns]") {
  CHECK(reverse_name("127.64.0.10") == "10.0.64.127.in-addr.arpa.");
  CHECK_FALSE(reverse_name("web-0.web").has_value());
  CHECK_FALSE(reverse_name("300.1.1.1").has_value());
}

TEST_CASE("record types are named as dig names them, in any case", "[cli][dns]") {
  CHECK(*parse_record_type("srv") == kinda::dns::rtype::kSRV);
  CHECK(*parse_record_type("AAAA") == kinda::dns::rtype::kAAAA);
  const auto unknown = parse_record_type("MX");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message, Catch::Contains("A, AAAA, SRV, PTR, TXT, SOA or CNAME"));
}

TEST_CASE("a failed lookup reports NODATA first, then the first NXDOMAIN, then other failures",
          "[cli][dns]") {
  const DnsAttempt nx{"nosuch.default.svc.cluster.local.", Outcome::NXDomain, ""};
  const DnsAttempt nodata{"web.svc.cluster.local.", Outcome::NoData, ""};
  const DnsAttempt refused{"nosuch.", Outcome::Failed, "REFUSED"};
  CHECK(failure_reason({nx, refused}) == "nosuch.default.svc.cluster.local: NXDOMAIN");
  CHECK(failure_reason({nx, nodata, refused}) ==
        "web.svc.cluster.local: NODATA (no records of that type)");
  CHECK(failure_reason({refused}) == "nosuch: REFUSED");
}
