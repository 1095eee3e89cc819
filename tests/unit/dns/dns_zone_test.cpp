// Answers of the cluster zone, as facts in the style of CoreDNS's kubernetes handler tests: a
// small cluster, then each question with the response it must get.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "dns/query.hpp"
#include "dns/wire_reader.hpp"
#include "dns/zone_index.hpp"
#include "tests/unit/support/dns_test_client.hpp"

using namespace kinda::dns;
using dns_test::strings;

namespace {

QueryOptions options(uint16_t id, std::optional<uint16_t> edns_udp_size = std::nullopt) {
  QueryOptions out;
  out.id = id;
  out.edns_udp_size = edns_udp_size;
  return out;
}

ZoneConfig config(std::string domain, uint32_t ttl, std::vector<std::string> reverse_cidrs = {}) {
  ZoneConfig out;
  out.domain = std::move(domain);
  out.ttl = ttl;
  out.reverse_cidrs = std::move(reverse_cidrs);
  return out;
}

PodEndpoint pod(std::string ns, std::string name, std::string ip, std::string app,
                bool ready = true) {
  PodEndpoint p;
  p.ns = std::move(ns);
  p.name = std::move(name);
  p.ip = std::move(ip);
  p.ready = ready;
  p.labels = {{"app", std::move(app)}};
  return p;
}

PodEndpoint set_member(std::string ns, std::string name, std::string service, std::string ip,
                       bool ready = true) {
  PodEndpoint p = pod(std::move(ns), name, std::move(ip), service, ready);
  p.hostname = name;
  p.subdomain = std::move(service);
  return p;
}

ServiceEntry headless(std::string ns, std::string name, std::vector<ServicePort> ports = {}) {
  ServiceEntry s;
  s.ns = std::move(ns);
  s.name = name;
  s.headless = true;
  s.selector = {{"app", std::move(name)}};
  s.ports = std::move(ports);
  return s;
}

ZoneIndex cluster() {
  ZoneIndex index(config("cluster.local", 5, {"127.64.0.0/16", "10.96.0.0/12"}));
  index.upsert_namespace("default");
  index.upsert_namespace("testns");

  index.upsert_service(headless("default", "redis", {{"redis", "TCP", 6379}, {"", "TCP", 16379}}));
  index.upsert_pod(set_member("default", "redis-0", "redis", "127.64.0.10"));
  index.upsert_pod(set_member("default", "redis-1", "redis", "127.64.0.11"));
  index.upsert_pod(set_member("default", "redis-2", "redis", "127.64.0.12", false));
  PodEndpoint leaving = set_member("default", "redis-3", "redis", "127.64.0.13");
  leaving.terminating = true;
  index.upsert_pod(leaving);
  index.upsert_pod(set_member("default", "redis-4", "redis", ""));  // not scheduled yet

  ServiceEntry pnr = headless("default", "pnr");
  pnr.publish_not_ready = true;
  index.upsert_service(pnr);
  index.upsert_pod(set_member("default", "pnr-0", "pnr", "127.64.0.20", false));

  index.upsert_service(headless("default", "empty"));
  index.upsert_service(headless("default", "nohost", {{"http", "TCP", 80}}));
  index.upsert_pod(pod("default", "nohost-abc", "127.64.0.30", "nohost"));

  ServiceEntry web;
  web.ns = "testns";
  web.name = "web";
  web.cluster_ip = "10.96.0.10";
  web.selector = {{"app", "web"}};
  web.ports = {{"http", "TCP", 80}, {"dns", "UDP", 53}};
  index.upsert_service(web);
  index.upsert_pod(pod("testns", "web-abc", "127.64.1.1", "web"));

  ServiceEntry ext;
  ext.ns = "testns";
  ext.name = "ext";
  ext.external_name = "example.com";
  index.upsert_service(ext);
  return index;
}

Message ask(const ZoneIndex& index, const std::string& qname, uint16_t qtype, size_t max_size = 512,
            std::optional<uint16_t> edns_udp_size = std::nullopt) {
  const auto query =
      build_query({*Name::parse(qname), qtype, rclass::kIN}, options(4242, edns_udp_size));
  const std::vector<uint8_t> response = index.answer(query.data(), query.size(), max_size);
  REQUIRE(response.size() <= std::max<size_t>(max_size, edns_udp_size ? 1232 : 512));
  const auto message = parse_message(response);
  REQUIRE(message.ok());
  return *message;
}

struct Golden {
  std::string qname;
  uint16_t qtype;
  uint16_t rcode;
  std::vector<std::string> answers;
  std::string soa_owner = "";  // the authority section's SOA owner, "" for none
  std::vector<std::string> additional = {};
};

const std::string kZone = ".svc.cluster.local.";

}  // namespace

TEST_CASE("the cluster zone answers each name as Kubernetes DNS specifies", "[dns][zone]") {
  const ZoneIndex index = cluster();
  const std::vector<Golden> cases = {
      // Headless service: one A per ready endpoint; not-ready, terminating, unaddressed pods hide.
      {"redis.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"redis.default" + kZone + " 5 IN A 127.64.0.10",
        "redis.default" + kZone + " 5 IN A 127.64.0.11"}},
      {"redis-0.redis.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"redis-0.redis.default" + kZone + " 5 IN A 127.64.0.10"}},
      {"redis-2.redis.default.svc.cluster.local",
       rtype::kA,
       rcode::kNXDomain,
       {},
       "cluster.local."},
      {"redis-3.redis.default.svc.cluster.local",
       rtype::kA,
       rcode::kNXDomain,
       {},
       "cluster.local."},
      {"redis-4.redis.default.svc.cluster.local",
       rtype::kA,
       rcode::kNXDomain,
       {},
       "cluster.local."},
      {"redis-0.redis.default.svc.cluster.local",
       rtype::kAAAA,
       rcode::kNoError,
       {},
       "cluster.local."},
      {"redis.default.svc.cluster.local", rtype::kTXT, rcode::kNoError, {}, "cluster.local."},
      // SRV: ready endpoints × the named port, weights shared, addresses in additional.
      {"_redis._tcp.redis.default.svc.cluster.local",
       rtype::kSRV,
       rcode::kNoError,
       {"_redis._tcp.redis.default" + kZone + " 5 IN SRV 0 50 6379 redis-0.redis.default" + kZone,
        "_redis._tcp.redis.default" + kZone + " 5 IN SRV 0 50 6379 redis-1.redis.default" + kZone},
       "",
       {"redis-0.redis.default" + kZone + " 5 IN A 127.64.0.10",
        "redis-1.redis.default" + kZone + " 5 IN A 127.64.0.11"}},
      {"_redis._udp.redis.default.svc.cluster.local",
       rtype::kSRV,
       rcode::kNXDomain,
       {},
       "cluster.local."},
      {"_other._tcp.redis.default.svc.cluster.local",
       rtype::kSRV,
       rcode::kNXDomain,
       {},
       "cluster.local."},
      {"_redis._tcp.redis.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {},
       "cluster.local."},
      {"_tcp.redis.default.svc.cluster.local", rtype::kA, rcode::kNoError, {}, "cluster.local."},
      {"_udp.redis.default.svc.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      // publishNotReadyAddresses: not-ready pods are published.
      {"pnr.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"pnr.default" + kZone + " 5 IN A 127.64.0.20"}},
      {"pnr-0.pnr.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"pnr-0.pnr.default" + kZone + " 5 IN A 127.64.0.20"}},
      // Headless with no ready endpoint: NXDOMAIN.
      {"empty.default.svc.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      // Endpoints without a hostname are named by their dashed IP.
      {"nohost.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"nohost.default" + kZone + " 5 IN A 127.64.0.30"}},
      {"127-64-0-30.nohost.default.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"127-64-0-30.nohost.default" + kZone + " 5 IN A 127.64.0.30"}},
      {"_http._tcp.nohost.default.svc.cluster.local",
       rtype::kSRV,
       rcode::kNoError,
       {"_http._tcp.nohost.default" + kZone + " 5 IN SRV 0 100 80 127-64-0-30.nohost.default" +
        kZone},
       "",
       {"127-64-0-30.nohost.default" + kZone + " 5 IN A 127.64.0.30"}},
      // ClusterIP service: the cluster IP, SRV per named port aimed at the service.
      {"web.testns.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"web.testns" + kZone + " 5 IN A 10.96.0.10"}},
      {"web.testns.svc.cluster.local", rtype::kAAAA, rcode::kNoError, {}, "cluster.local."},
      {"_http._tcp.web.testns.svc.cluster.local",
       rtype::kSRV,
       rcode::kNoError,
       {"_http._tcp.web.testns" + kZone + " 5 IN SRV 0 100 80 web.testns" + kZone},
       "",
       {"web.testns" + kZone + " 5 IN A 10.96.0.10"}},
      {"_dns._udp.web.testns.svc.cluster.local",
       rtype::kSRV,
       rcode::kNoError,
       {"_dns._udp.web.testns" + kZone + " 5 IN SRV 0 100 53 web.testns" + kZone},
       "",
       {"web.testns" + kZone + " 5 IN A 10.96.0.10"}},
      {"web-abc.web.testns.svc.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      // ExternalName: a CNAME whatever the type.
      {"ext.testns.svc.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"ext.testns" + kZone + " 5 IN CNAME example.com."}},
      // Schema version, apex and empty non-terminals.
      {"dns-version.cluster.local",
       rtype::kTXT,
       rcode::kNoError,
       {"dns-version.cluster.local. 5 IN TXT \"1.1.0\""}},
      {"dns-version.cluster.local", rtype::kA, rcode::kNoError, {}, "cluster.local."},
      {"svc.cluster.local", rtype::kA, rcode::kNoError, {}, "cluster.local."},
      {"testns.svc.cluster.local", rtype::kA, rcode::kNoError, {}, "cluster.local."},
      {"nons.svc.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      {"missing.testns.svc.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      {"a.b.c.d.e.svc.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      {"other.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      {"cluster.local", rtype::kA, rcode::kNoError, {}, "cluster.local."},
      // Pod records: dashed IP under an existing namespace.
      {"127-64-0-10.default.pod.cluster.local",
       rtype::kA,
       rcode::kNoError,
       {"127-64-0-10.default.pod.cluster.local. 5 IN A 127.64.0.10"}},
      {"127-64-0-10.nons.pod.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      {"not-an-ip.default.pod.cluster.local", rtype::kA, rcode::kNXDomain, {}, "cluster.local."},
      {"default.pod.cluster.local", rtype::kA, rcode::kNoError, {}, "cluster.local."},
      // Reverse lookups: ready endpoints name their hostname record, cluster IPs their service.
      {"10.0.64.127.in-addr.arpa",
       rtype::kPTR,
       rcode::kNoError,
       {"10.0.64.127.in-addr.arpa. 5 IN PTR redis-0.redis.default" + kZone}},
      {"10.0.96.10.in-addr.arpa",
       rtype::kPTR,
       rcode::kNoError,
       {"10.0.96.10.in-addr.arpa. 5 IN PTR web.testns" + kZone}},
      {"12.0.64.127.in-addr.arpa", rtype::kPTR, rcode::kNXDomain, {}, "64.127.in-addr.arpa."},
      {"99.0.64.127.in-addr.arpa", rtype::kPTR, rcode::kNXDomain, {}, "64.127.in-addr.arpa."},
      {"0.64.127.in-addr.arpa", rtype::kPTR, rcode::kNoError, {}, "64.127.in-addr.arpa."},
      {"1.1.96.10.in-addr.arpa", rtype::kPTR, rcode::kNXDomain, {}, "10.in-addr.arpa."},
      // Not ours: refused until upstream forwarding exists.
      {"1.0.0.192.in-addr.arpa", rtype::kPTR, rcode::kRefused, {}},
      {"example.com", rtype::kA, rcode::kRefused, {}},
      {"local", rtype::kSOA, rcode::kRefused, {}},
  };
  for (const Golden& c : cases) {
    INFO(c.qname << " " << type_name(c.qtype));
    const Message m = ask(index, c.qname, c.qtype);
    CHECK(m.header.id == 4242);
    CHECK(m.header.qr);
    CHECK(m.header.rd);
    CHECK_FALSE(m.header.tc);
    CHECK(m.header.rcode == c.rcode);
    CHECK(m.header.aa == (c.rcode != rcode::kRefused));
    REQUIRE(m.questions.size() == 1);
    CHECK(m.questions[0].name == *Name::parse(c.qname));
    CHECK(strings(m.answers) == c.answers);
    if (c.soa_owner.empty()) {
      CHECK(m.authority.empty());
    } else {
      REQUIRE(m.authority.size() == 1);
      CHECK(m.authority[0].type == rtype::kSOA);
      CHECK(m.authority[0].name.to_string() == c.soa_owner);
    }
    CHECK(strings(m.additional) == c.additional);
  }
}

TEST_CASE("the SOA names the zone's server and mailbox, serial is the last change", "[dns][zone]") {
  const ZoneIndex index = cluster();
  const Message m = ask(index, "cluster.local", rtype::kSOA);
  REQUIRE(m.answers.size() == 1);
  CHECK(m.answers[0].to_string() ==
        "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. " +
            std::to_string(index.serial()) + " 7200 1800 86400 5");
  CHECK(index.serial() > 1'600'000'000);
}

TEST_CASE("names match case-insensitively and the question's case is echoed", "[dns][zone]") {
  const ZoneIndex index = cluster();
  const Message m = ask(index, "Redis-0.REDIS.Default.svc.Cluster.Local", rtype::kA);
  CHECK(m.header.rcode == rcode::kNoError);
  CHECK(m.questions[0].name.to_string() == "Redis-0.REDIS.Default.svc.Cluster.Local.");
  CHECK(strings(m.answers) ==
        std::vector<std::string>{"Redis-0.REDIS.Default.svc.Cluster.Local. 5 IN A 127.64.0.10"});
}

TEST_CASE("the zone domain and TTL are configurable", "[dns][zone]") {
  ZoneIndex index(config("kinda.test", 30));
  index.upsert_namespace("ns");
  CHECK(strings(ask(index, "dns-version.kinda.test", rtype::kTXT).answers) ==
        std::vector<std::string>{"dns-version.kinda.test. 30 IN TXT \"1.1.0\""});
  CHECK(ask(index, "dns-version.cluster.local", rtype::kTXT).header.rcode == rcode::kRefused);
  CHECK(ask(index, "ns.svc.kinda.test", rtype::kA).header.rcode == rcode::kNoError);
}

TEST_CASE("invalid zone configuration is reported before the index is built", "[dns][zone]") {
  CHECK(validate({}).ok());
  CHECK_FALSE(validate(config("bad..domain", 5)).ok());
  CHECK_FALSE(validate(config(".", 5)).ok());
  const kinda::Status bad_range = validate(config("cluster.local", 5, {"127.64.0.0"}));
  REQUIRE_FALSE(bad_range.ok());
  CHECK_THAT(bad_range.error().message, Catch::Contains("127.64.0.0"));
}

TEST_CASE("protocol errors get the response codes resolvers expect", "[dns][zone]") {
  const ZoneIndex index = cluster();
  const Name name = *Name::parse("redis.default.svc.cluster.local");
  const auto answer = [&index](const std::vector<uint8_t>& query, size_t max_size = 512) {
    return index.answer(query.data(), query.size(), max_size);
  };
  const auto rcode_of = [](const std::vector<uint8_t>& response) {
    const auto m = parse_message(response);
    REQUIRE(m.ok());
    return m->header.rcode;
  };

  SECTION("two questions: FORMERR") {
    auto query = build_query({name, rtype::kA, rclass::kIN});
    const auto second = build_query({name, rtype::kAAAA, rclass::kIN});
    query.insert(query.end(), second.begin() + 12, second.end());
    query[5] = 2;
    CHECK(rcode_of(answer(query)) == rcode::kFormErr);
  }
  SECTION("no question: FORMERR") {
    auto query = build_query({name, rtype::kA, rclass::kIN});
    query.resize(12);
    query[5] = 0;
    CHECK(rcode_of(answer(query)) == rcode::kFormErr);
  }
  SECTION("a body that does not parse: FORMERR with the id echoed") {
    auto query = build_query({name, rtype::kA, rclass::kIN}, options(0xBEEF));
    query.resize(query.size() - 3);
    const auto m = parse_message(answer(query));
    REQUIRE(m.ok());
    CHECK(m->header.id == 0xBEEF);
    CHECK(m->header.rcode == rcode::kFormErr);
  }
  SECTION("opcode other than QUERY: NOTIMP") {
    auto query = build_query({name, rtype::kA, rclass::kIN});
    query[2] |= 2 << 3;  // STATUS
    CHECK(rcode_of(answer(query)) == rcode::kNotImp);
  }
  SECTION("zone transfers: REFUSED") {
    CHECK(rcode_of(answer(build_query(
              {*Name::parse("cluster.local"), rtype::kAXFR, rclass::kIN}))) == rcode::kRefused);
    CHECK(rcode_of(answer(build_query(
              {*Name::parse("cluster.local"), rtype::kIXFR, rclass::kIN}))) == rcode::kRefused);
  }
  SECTION("class CHAOS: REFUSED") {
    CHECK(rcode_of(answer(build_query({*Name::parse("version.bind"), rtype::kTXT, 3}))) ==
          rcode::kRefused);
  }
  SECTION("responses and runt packets are dropped") {
    auto query = build_query({name, rtype::kA, rclass::kIN});
    query[2] |= 0x80;
    CHECK(answer(query).empty());
    CHECK(answer({1, 2, 3}).empty());
  }
  SECTION("EDNS is echoed with our payload size") {
    const auto m =
        parse_message(answer(build_query({name, rtype::kA, rclass::kIN}, options(0, 4096))));
    REQUIRE(m.ok());
    REQUIRE(m->additional.size() == 1);
    CHECK(m->additional[0].type == rtype::kOPT);
    CHECK(m->additional[0].klass == 1232);
    CHECK(m->additional[0].ttl == 0);
  }
  SECTION("EDNS version 1: BADVERS in the extended rcode") {
    auto query = build_query({name, rtype::kA, rclass::kIN}, options(0, 1232));
    query[query.size() - 5] = 1;  // the OPT TTL's version octet
    const auto m = parse_message(answer(query));
    REQUIRE(m.ok());
    REQUIRE(m->additional.size() == 1);
    CHECK(m->header.rcode == (rcode::kBadVers & 0xF));
    CHECK(m->additional[0].ttl >> 24 == (rcode::kBadVers >> 4));
  }
  SECTION("two OPT records: FORMERR") {
    auto query = build_query({name, rtype::kA, rclass::kIN}, options(0, 1232));
    const std::vector<uint8_t> opt(query.end() - 11, query.end());
    query.insert(query.end(), opt.begin(), opt.end());
    query[11] = 2;
    CHECK(rcode_of(answer(query)) == rcode::kFormErr);
  }
}

TEST_CASE("answers too big for the transport set TC, and TCP or EDNS carry them whole",
          "[dns][zone]") {
  ZoneIndex index;
  index.upsert_namespace("default");
  index.upsert_service(headless("default", "big", {{"peer", "TCP", 2380}}));
  for (int i = 0; i < 60; ++i) {
    index.upsert_pod(set_member("default", "big-" + std::to_string(i), "big",
                                "127.64.1." + std::to_string(i + 1)));
  }
  const std::string name = "big.default.svc.cluster.local";

  const Message udp = ask(index, name, rtype::kA);
  CHECK(udp.header.tc);
  CHECK(udp.answers.empty());
  CHECK(udp.questions.size() == 1);

  const Message edns = ask(index, name, rtype::kA, 512, 4096);
  CHECK_FALSE(edns.header.tc);
  CHECK(edns.answers.size() == 60);

  const Message tcp = ask(index, name, rtype::kA, 65535);
  CHECK_FALSE(tcp.header.tc);
  CHECK(tcp.answers.size() == 60);

  // SRV answers fit in 1232 octets with 18 endpoints, but their addresses do not all: the
  // additional section shrinks and TC stays clear.
  for (int i = 18; i < 60; ++i) index.remove_pod("default", "big-" + std::to_string(i));
  const Message srv = ask(index, "_peer._tcp." + name, rtype::kSRV, 512, 1232);
  CHECK_FALSE(srv.header.tc);
  CHECK(srv.answers.size() == 18);
  CHECK(srv.additional.size() < 1 + 18);
  CHECK(srv.additional.back().type == rtype::kOPT);
}

TEST_CASE("the index follows pods and services as they change", "[dns][zone]") {
  ZoneIndex index(config("cluster.local", 5, {"127.64.0.0/16"}));
  index.upsert_namespace("default");
  index.upsert_service(headless("default", "db"));
  const std::string host = "db-0.db.default.svc.cluster.local";
  const auto rcode_for = [&index](const std::string& name, uint16_t type = rtype::kA) {
    return ask(index, name, type).header.rcode;
  };

  PodEndpoint db0 = set_member("default", "db-0", "db", "", false);
  index.upsert_pod(db0);
  CHECK(rcode_for(host) == rcode::kNXDomain);

  db0.ip = "127.64.0.5";
  index.upsert_pod(db0);
  CHECK(rcode_for(host) == rcode::kNXDomain);  // addressed but not ready

  const uint32_t serial_before = index.serial();
  db0.ready = true;
  index.upsert_pod(db0);
  CHECK(strings(ask(index, host, rtype::kA).answers) ==
        std::vector<std::string>{host + ". 5 IN A 127.64.0.5"});
  CHECK(strings(ask(index, "5.0.64.127.in-addr.arpa", rtype::kPTR).answers) ==
        std::vector<std::string>{"5.0.64.127.in-addr.arpa. 5 IN PTR " + host + "."});
  CHECK(index.serial() >= serial_before);

  SECTION("a new IP moves the records") {
    db0.ip = "127.64.0.6";
    index.upsert_pod(db0);
    CHECK(strings(ask(index, host, rtype::kA).answers) ==
          std::vector<std::string>{host + ". 5 IN A 127.64.0.6"});
    CHECK(rcode_for("5.0.64.127.in-addr.arpa", rtype::kPTR) == rcode::kNXDomain);
    CHECK(rcode_for("6.0.64.127.in-addr.arpa", rtype::kPTR) == rcode::kNoError);
  }
  SECTION("terminating hides the pod at once") {
    db0.terminating = true;
    index.upsert_pod(db0);
    CHECK(rcode_for(host) == rcode::kNXDomain);
    CHECK(rcode_for("db.default.svc.cluster.local") == rcode::kNXDomain);
  }
  // The endpoint rule the Endpoints object follows too (api::endpoint_of).
  SECTION("a finished pod is no endpoint") {
    db0.finished = true;
    index.upsert_pod(db0);
    CHECK(rcode_for(host) == rcode::kNXDomain);
  }
  SECTION("a pod without the named targetPort of every service port is no endpoint") {
    ServiceEntry db = headless("default", "db", {{"sql", "TCP", 5432}});
    db.ports[0].target_port_name = "postgres";
    index.upsert_service(db);
    CHECK(rcode_for(host) == rcode::kNXDomain);
    db0.container_ports = {{"postgres", "TCP", 5433}};
    index.upsert_pod(db0);
    CHECK(rcode_for(host) == rcode::kNoError);
  }
  SECTION("removing the pod removes its names") {
    index.remove_pod("default", "db-0");
    CHECK(rcode_for(host) == rcode::kNXDomain);
    CHECK(rcode_for("5.0.64.127.in-addr.arpa", rtype::kPTR) == rcode::kNXDomain);
  }
  SECTION("a selector that no longer matches drops the endpoint") {
    ServiceEntry db = headless("default", "db");
    db.selector = {{"app", "other"}};
    index.upsert_service(db);
    CHECK(rcode_for(host) == rcode::kNXDomain);
    index.upsert_service(headless("default", "db"));
    CHECK(rcode_for(host) == rcode::kNoError);
  }
  SECTION("removing the service removes the pod's service records") {
    index.remove_service("default", "db");
    CHECK(rcode_for(host) == rcode::kNXDomain);
    CHECK(rcode_for("db.default.svc.cluster.local") == rcode::kNXDomain);
    CHECK(rcode_for("default.svc.cluster.local") == rcode::kNoError);  // the namespace remains
  }
  SECTION("a pod whose subdomain names another service keeps only its dashed name") {
    db0.subdomain = "elsewhere";
    index.upsert_pod(db0);
    CHECK(rcode_for(host) == rcode::kNXDomain);
    CHECK(rcode_for("127-64-0-5.db.default.svc.cluster.local") == rcode::kNoError);
  }
  SECTION("a removed namespace disappears once it holds nothing") {
    index.upsert_namespace("scratch");
    CHECK(rcode_for("scratch.svc.cluster.local") == rcode::kNoError);
    index.remove_namespace("scratch");
    CHECK(rcode_for("scratch.svc.cluster.local") == rcode::kNXDomain);
    CHECK(rcode_for("1-2-3-4.scratch.pod.cluster.local") == rcode::kNXDomain);
  }
  SECTION("a ClusterIP service changing its IP moves its PTR") {
    ServiceEntry api;
    api.ns = "default";
    api.name = "api";
    api.cluster_ip = "127.64.200.1";
    index.upsert_service(api);
    CHECK(rcode_for("1.200.64.127.in-addr.arpa", rtype::kPTR) == rcode::kNoError);
    api.cluster_ip = "127.64.200.2";
    index.upsert_service(api);
    CHECK(rcode_for("1.200.64.127.in-addr.arpa", rtype::kPTR) == rcode::kNXDomain);
    CHECK(rcode_for("2.200.64.127.in-addr.arpa", rtype::kPTR) == rcode::kNoError);
  }
}
