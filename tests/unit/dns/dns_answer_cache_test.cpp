// The zone's answer cache: repeated questions are answered from memory with the asker's ID,
// and any change to the zone shows in the very next answer.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "dns/answer_cache.hpp"
#include "dns/query.hpp"
#include "dns/wire_reader.hpp"
#include "dns/zone_index.hpp"
#include "tests/unit/support/dns_test_client.hpp"

using namespace kinda::dns;
using dns_test::query;

namespace {

PodEndpoint member(const std::string& name, const std::string& ip) {
  PodEndpoint p;
  p.ns = "default";
  p.name = p.hostname = name;
  p.subdomain = "db";
  p.ip = ip;
  p.ready = true;
  p.labels = {{"app", "db"}};
  return p;
}

std::vector<std::string> addresses(const std::vector<uint8_t>& response) {
  std::vector<std::string> out;
  const auto message = parse_message(response);
  REQUIRE(message.ok());
  for (const auto& record : message->answers) {
    if (record.type == rtype::kA) out.push_back(record.rdata);  // presentation form
  }
  return out;
}

ZoneIndex db_zone() {
  ZoneIndex zone;
  zone.upsert_namespace("default");
  ServiceEntry db;
  db.ns = "default";
  db.name = "db";
  db.headless = true;
  db.selector = {{"app", "db"}};
  zone.upsert_service(db);
  zone.upsert_pod(member("db-0", "127.64.0.2"));
  return zone;
}

}  // namespace

TEST_CASE("a repeated question gets the same answer under the asker's ID", "[dns][cache]") {
  const ZoneIndex zone = db_zone();
  const auto first = query("db-0.db.default.svc.cluster.local", rtype::kA, 0x1111);
  const auto again = query("db-0.db.default.svc.cluster.local", rtype::kA, 0x2222);
  const auto a = zone.answer(first.data(), first.size(), 512);
  const auto b = zone.answer(again.data(), again.size(), 512);
  REQUIRE(a.size() == b.size());
  CHECK(parse_message(b)->header.id == 0x2222);
  CHECK(std::equal(a.begin() + 2, a.end(), b.begin() + 2));
  CHECK(addresses(b) == std::vector<std::string>{"127.64.0.2"});
}

TEST_CASE("a zone change shows in the next answer despite the cache", "[dns][cache]") {
  ZoneIndex zone = db_zone();
  const auto q = query("db-0.db.default.svc.cluster.local", rtype::kA, 7);
  CHECK(addresses(zone.answer(q.data(), q.size(), 512)) == std::vector<std::string>{"127.64.0.2"});
  zone.upsert_pod(member("db-0", "127.64.0.9"));  // the pod came back with a new address
  CHECK(addresses(zone.answer(q.data(), q.size(), 512)) == std::vector<std::string>{"127.64.0.9"});
  zone.remove_pod("default", "db-0");
  const auto gone = zone.answer(q.data(), q.size(), 512);
  CHECK(parse_message(gone)->header.rcode == rcode::kNXDomain);
}

TEST_CASE("answers are kept per transport limit and the question's exact case", "[dns][cache]") {
  const ZoneIndex zone = db_zone();
  const auto lower = query("db-0.db.default.svc.cluster.local", rtype::kA, 1);
  const auto upper = query("DB-0.db.Default.svc.cluster.local", rtype::kA, 1);
  const auto a = zone.answer(lower.data(), lower.size(), 512);
  const auto b = zone.answer(upper.data(), upper.size(), 512);
  CHECK(parse_message(b)->questions.at(0).name.labels.at(0) == "DB-0");  // echoed as asked
  CHECK(addresses(a) == addresses(b));
}

TEST_CASE("the cache stays bounded whatever names clients invent", "[dns][cache]") {
  AnswerCache cache(4);
  std::vector<uint8_t> response(12, 0);
  for (uint16_t i = 0; i < 10; ++i) {
    const auto q = query("n" + std::to_string(i) + ".example", rtype::kA, i);
    cache.remember(q, 512, response);
    CHECK(cache.size() <= 4);
  }
  const auto last = query("n9.example", rtype::kA, 99);
  std::vector<uint8_t> found;
  REQUIRE(cache.find(last, 512, found));
  CHECK(found[1] == 99);
  CHECK_FALSE(cache.find(last, 65535, found));  // another transport, another key
}
