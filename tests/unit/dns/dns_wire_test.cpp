// The DNS wire reader and writer: round trips, compression, and malformed packets that must be
// rejected without reading out of bounds.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dns/query.hpp"
#include "dns/wire_reader.hpp"
#include "dns/wire_writer.hpp"
#include "tests/unit/support/dns_test_client.hpp"

using namespace kinda::dns;
using dns_test::strings;

namespace {

Name name(const std::string& text) {
  return *Name::parse(text);
}

// A header announcing one question, followed by `body` (a hand-made question section).
std::vector<uint8_t> packet_with_question(std::vector<uint8_t> body) {
  const uint8_t header[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  body.insert(body.begin(), std::begin(header), std::end(header));
  return body;
}

std::string parse_error(const std::vector<uint8_t>& packet) {
  const auto message = parse_message(packet);
  REQUIRE_FALSE(message.ok());
  return message.error().message;
}

}  // namespace

TEST_CASE("names parse from and print to presentation form", "[dns][wire]") {
  CHECK(name("db-0.db.default.svc.cluster.local").to_string() ==
        "db-0.db.default.svc.cluster.local.");
  CHECK(name("cluster.local.").labels == std::vector<std::string>{"cluster", "local"});
  CHECK(name(".").to_string() == ".");
  CHECK(Name{{"a.b", "c\\d", std::string("e\0", 2)}}.to_string() == "a\\.b.c\\\\d.e\\000.");
  CHECK(name("Foo.Cluster.Local").ends_with(name("cluster.LOCAL")));
  CHECK_FALSE(name("local").ends_with(name("cluster.local")));
  CHECK(name("Foo.BAR").lowered() == name("foo.bar"));
}

TEST_CASE("names with empty labels, labels over 63 octets or over 255 octets are rejected",
          "[dns][wire]") {
  CHECK_FALSE(Name::parse("a..b").ok());
  const std::string label_63(63, 'a'), label_64(64, 'a');
  CHECK_FALSE(Name::parse(label_64 + ".local").ok());
  CHECK(Name::parse(label_63 + ".local").ok());
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name.append(63, 'a').append(".");
  CHECK_FALSE(Name::parse(long_name).ok());               // 4 × 64 + 1 = 257 octets
  CHECK(Name::parse(long_name.substr(0, 253 - 1)).ok());  // 253 characters: the longest name
}

TEST_CASE("every record type survives a write and read round trip", "[dns][wire]") {
  WireWriter writer;
  const Name owner = name("db-0.db.default.svc.cluster.local");
  writer.question({owner, rtype::kANY, rclass::kIN});
  const std::vector<ResourceRecord> records = {
      {owner, rtype::kA, 5, Ipv4Data{{127, 64, 0, 10}}},
      {owner, rtype::kAAAA, 5, Ipv6Data{{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}},
      {owner, rtype::kCNAME, 5, NameData{name("example.com")}},
      {name("10.0.64.127.in-addr.arpa"), rtype::kPTR, 5, NameData{owner}},
      {owner, rtype::kSRV, 5, SrvData{0, 100, 6379, owner}},
      {name("cluster.local"), rtype::kSOA, 5,
       SoaData{name("ns.dns.cluster.local"), name("hostmaster.cluster.local"), 42, 7200, 1800,
               86400, 5}},
      {name("dns-version.cluster.local"), rtype::kTXT, 5, TxtData{{"1.1.0", "say \"hi\""}}},
  };
  for (const ResourceRecord& r : records) writer.record(r);
  Header header;
  header.id = 7;
  header.qr = header.aa = header.rd = true;
  header.rcode = rcode::kNXDomain;
  header.qdcount = 1;
  header.ancount = static_cast<uint16_t>(records.size());
  writer.header(header);
  const std::vector<uint8_t> packet = std::move(writer).take();

  const auto message = parse_message(packet);
  REQUIRE(message.ok());
  CHECK(message->header.id == 7);
  CHECK(message->header.qr);
  CHECK(message->header.aa);
  CHECK(message->header.rd);
  CHECK_FALSE(message->header.tc);
  CHECK(message->header.rcode == rcode::kNXDomain);
  REQUIRE(message->questions.size() == 1);
  CHECK(message->questions[0].name == owner);
  CHECK(message->questions[0].type == rtype::kANY);
  CHECK(strings(message->answers) ==
        std::vector<std::string>{
            "db-0.db.default.svc.cluster.local. 5 IN A 127.64.0.10",
            "db-0.db.default.svc.cluster.local. 5 IN AAAA fd00::1",
            "db-0.db.default.svc.cluster.local. 5 IN CNAME example.com.",
            "10.0.64.127.in-addr.arpa. 5 IN PTR db-0.db.default.svc.cluster.local.",
            "db-0.db.default.svc.cluster.local. 5 IN SRV 0 100 6379 "
            "db-0.db.default.svc.cluster.local.",
            "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 42 7200 1800 "
            "86400 5",
            "dns-version.cluster.local. 5 IN TXT \"1.1.0\" \"say \\\"hi\\\"\"",
        });
}

TEST_CASE("repeated names are compressed to pointers, ignoring case", "[dns][wire]") {
  WireWriter writer;
  writer.name(name("db.default.svc.cluster.local"));
  const size_t first = writer.size();
  writer.name(name("DB.default.svc.cluster.local"));
  CHECK(writer.size() - first == 2);  // a bare pointer
  const size_t second = writer.size();
  writer.name(name("db-0.db.default.svc.cluster.local"));
  CHECK(writer.size() - second == 1 + 4 + 2);  // one new label, then a pointer
}

TEST_CASE("SRV targets are written uncompressed but later names may point into them",
          "[dns][wire]") {
  WireWriter writer;
  const Name target = name("db-0.db.default.svc.cluster.local");
  writer.question({target, rtype::kSRV, rclass::kIN});
  const size_t before = writer.size();
  writer.record({target, rtype::kSRV, 5, SrvData{0, 100, 6379, target}});
  // owner pointer (2) + type/class/ttl/length (10) + priority/weight/port (6) + full target
  CHECK(writer.size() - before == 2 + 10 + 6 + target.wire_length());
}

TEST_CASE("truncating the writer forgets compression targets past the cut", "[dns][wire]") {
  WireWriter writer;
  writer.question({name("a.example"), rtype::kA, rclass::kIN});
  const size_t mark = writer.size();
  writer.record({name("b.other.test"), rtype::kA, 5, Ipv4Data{{1, 2, 3, 4}}});
  writer.truncate(mark);
  writer.record({name("c.other.test"), rtype::kA, 5, Ipv4Data{{5, 6, 7, 8}}});
  Header header;
  header.qdcount = header.ancount = 1;
  writer.header(header);
  const auto message = parse_message(std::move(writer).take());
  REQUIRE(message.ok());
  CHECK(strings(message->answers) == std::vector<std::string>{"c.other.test. 5 IN A 5.6.7.8"});
}

TEST_CASE("built queries carry the question and an optional EDNS record", "[dns][wire]") {
  const auto packet = build_query({name("x.cluster.local"), rtype::kAAAA, rclass::kIN},
                                  {.id = 99, .recursion_desired = true, .edns_udp_size = 4096});
  const auto message = parse_message(packet);
  REQUIRE(message.ok());
  CHECK(message->header.id == 99);
  CHECK(message->header.rd);
  CHECK(message->questions[0].type == rtype::kAAAA);
  REQUIRE(message->additional.size() == 1);
  CHECK(message->additional[0].type == rtype::kOPT);
  CHECK(message->additional[0].klass == 4096);
  CHECK(message->additional[0].rdata == "\\# 0");
}

TEST_CASE("malformed packets are rejected with a reason", "[dns][wire]") {
  SECTION("shorter than a header") {
    CHECK_THAT(parse_error({0x12, 0x34, 0x01}), Catch::Contains("truncated"));
  }
  SECTION("question cut inside a label") {
    CHECK_THAT(parse_error(packet_with_question({5, 'a', 'b'})), Catch::Contains("past the end"));
  }
  SECTION("question without type and class") {
    CHECK_THAT(parse_error(packet_with_question({1, 'a', 0, 0})), Catch::Contains("truncated"));
  }
  SECTION("pointer to itself") {
    CHECK_THAT(parse_error(packet_with_question({0xC0, 12, 0, 1, 0, 1})),
               Catch::Contains("does not point backwards"));
  }
  SECTION("two pointers pointing at each other") {
    // offset 12: label "a" then a pointer to 17; offset 17: pointer back to 12.
    CHECK_THAT(parse_error(packet_with_question({1, 'a', 0xC0, 17, 0, 0xC0, 12, 0, 1, 0, 1})),
               Catch::Contains("does not point backwards"));
  }
  SECTION("pointer forwards") {
    CHECK_THAT(parse_error(packet_with_question({0xC0, 16, 0, 1, 1, 'a', 0, 0, 1, 0, 1})),
               Catch::Contains("does not point backwards"));
  }
  SECTION("pointer cut in half") {
    CHECK_THAT(parse_error(packet_with_question({0xC0})), Catch::Contains("truncated"));
  }
  SECTION("label length over 63 (reserved label types)") {
    for (const uint8_t length : {64, 0x40, 0x80, 0xBF}) {
      std::vector<uint8_t> body(1, length);
      body.resize(200, 'a');
      CHECK_THAT(parse_error(packet_with_question(body)), Catch::Contains("63"));
    }
  }
  SECTION("name over 255 octets") {
    std::vector<uint8_t> body;
    for (int i = 0; i < 5; ++i) {
      body.push_back(60);
      body.insert(body.end(), 60, 'a');
    }
    body.insert(body.end(), {0, 0, 1, 0, 1});
    CHECK_THAT(parse_error(packet_with_question(body)), Catch::Contains("255"));
  }
  SECTION("name over 255 octets assembled through pointers") {
    // Five questions, each one 60-octet label followed by a pointer to the previous name: every
    // pointer is valid, but the fifth name adds up to 306 octets.
    std::vector<uint8_t> packet = {0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0};
    size_t previous = 0;
    for (int i = 0; i < 5; ++i) {
      const size_t here = packet.size();
      packet.push_back(60);
      packet.insert(packet.end(), 60, 'b');
      if (i == 0) {
        packet.push_back(0);
      } else {
        packet.insert(packet.end(), {static_cast<uint8_t>(0xC0 | previous >> 8),
                                     static_cast<uint8_t>(previous & 0xFF)});
      }
      packet.insert(packet.end(), {0, 1, 0, 1});
      previous = here;
    }
    CHECK_THAT(parse_error(packet), Catch::Contains("255"));
    packet[5] = 4;  // four questions: the longest name is 245 octets, which is fine
    packet.resize(packet.size() - (61 + 2 + 4));
    CHECK(parse_message(packet).ok());
  }
  SECTION("record data longer than the packet") {
    auto packet = build_query({name("a.test"), rtype::kA, rclass::kIN});
    packet[7] = 1;  // one answer
    packet.insert(packet.end(), {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2});
    CHECK_THAT(parse_error(packet), Catch::Contains("truncated"));
  }
  SECTION("A record with five octets") {
    auto packet = build_query({name("a.test"), rtype::kA, rclass::kIN});
    packet[7] = 1;
    packet.insert(packet.end(), {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 5, 1, 2, 3, 4, 5});
    CHECK_THAT(parse_error(packet), Catch::Contains("wrong length"));
  }
  SECTION("name in RDATA running past the record's length") {
    auto packet = build_query({name("a.test"), rtype::kA, rclass::kIN});
    packet[7] = 1;
    packet.insert(packet.end(), {0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 5, 0, 2, 3, 'x', 'y', 'z', 0});
    CHECK_FALSE(parse_message(packet).ok());
  }
  SECTION("bytes after the last record") {
    auto packet = build_query({name("a.test"), rtype::kA, rclass::kIN});
    packet.push_back(0);
    CHECK_THAT(parse_error(packet), Catch::Contains("trailing"));
  }
}

TEST_CASE("every truncation and every single-octet corruption of a packet reads safely",
          "[dns][wire]") {
  WireWriter writer;
  const Name owner = name("db-0.db.default.svc.cluster.local");
  writer.question({owner, rtype::kSRV, rclass::kIN});
  writer.record({owner, rtype::kSRV, 5, SrvData{0, 100, 6379, owner}});
  writer.record(
      {name("cluster.local"), rtype::kSOA, 5,
       SoaData{name("ns.dns.cluster.local"), name("hostmaster.cluster.local"), 1, 2, 3, 4, 5}});
  Header header;
  header.qdcount = 1;
  header.ancount = 2;
  writer.header(header);
  const std::vector<uint8_t> packet = std::move(writer).take();
  REQUIRE(parse_message(packet).ok());
  for (size_t size = 0; size < packet.size(); ++size) {
    const std::vector<uint8_t> prefix(packet.begin(), packet.begin() + static_cast<long>(size));
    CHECK_FALSE(parse_message(prefix).ok());
  }
  for (size_t at = 0; at < packet.size(); ++at) {
    for (const uint8_t value : {0x00, 0x01, 0x3F, 0x40, 0xC0, 0xFF}) {
      std::vector<uint8_t> corrupt = packet;
      corrupt[at] = value;
      (void)parse_message(corrupt);  // must not crash; run under sanitizers to check bounds
    }
  }
}
