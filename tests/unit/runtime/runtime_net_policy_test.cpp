// The pod network's rules, address by address (runtime/net_policy.hpp), with no kernel involved.
#include <arpa/inet.h>

#include <catch2/catch.hpp>

#include "runtime/net_policy.hpp"

using namespace kinda::runtime;

namespace {

// Plain inet_pton: kPod is built before Catch2 can check anything.
in_addr v4(const char* text) {
  in_addr a{};
  ::inet_pton(AF_INET, text, &a);
  return a;
}

InetAddress address(const char* text, uint16_t port) {
  InetAddress a;
  if (::inet_pton(AF_INET, text, &a.v4) == 1) {
    a.family = AF_INET;
  } else {
    a.family = AF_INET6;
    REQUIRE(::inet_pton(AF_INET6, text, &a.v6) == 1);
  }
  a.port = port;
  return a;
}

const in_addr kPod = v4("127.64.0.5");

}  // namespace

TEST_CASE("a pod's binds of the wildcard, localhost or its own IP land on its IP, same port") {
  for (const char* asked : {"0.0.0.0", "127.0.0.1", "127.64.0.5"}) {
    auto plan = plan_bind(address(asked, 8080), false, kPod);
    CHECK(plan.error == 0);
    CHECK(to_string(plan.address) == "127.64.0.5:8080");
  }
  for (const char* asked :
       {"::", "::1", "::ffff:0.0.0.0", "::ffff:127.0.0.1", "::ffff:127.64.0.5"}) {
    auto plan = plan_bind(address(asked, 80), false, kPod);
    CHECK(plan.error == 0);
    CHECK(to_string(plan.address) == "[::ffff:127.64.0.5]:80");
    CHECK_FALSE(plan.freebind);
  }
}

TEST_CASE("binding an address that is not the pod's is EADDRNOTAVAIL, as in a pod's netns") {
  for (const char* asked : {"127.64.0.6", "127.0.0.2", "10.0.0.1"})
    CHECK(plan_bind(address(asked, 80), false, kPod).error == EADDRNOTAVAIL);
  CHECK(plan_bind(address("::ffff:127.64.0.6", 80), false, kPod).error == EADDRNOTAVAIL);
  CHECK(plan_bind(address("2001:db8::1", 80), false, kPod).error == EADDRNOTAVAIL);
}

TEST_CASE("an IPv6-only socket's wildcard goes to the unreachable placeholder ::POD_IP") {
  for (const char* asked : {"::", "::1", "::127.64.0.5"}) {
    auto plan = plan_bind(address(asked, 80), true, kPod);
    CHECK(plan.error == 0);
    CHECK(plan.freebind);
    CHECK(to_string(plan.address) == "[::127.64.0.5]:80");
  }
  CHECK(plan_bind(address("::ffff:127.0.0.1", 80), true, kPod).error == EINVAL);
  CHECK(plan_bind(address("::127.64.0.6", 80), true, kPod).error == EADDRNOTAVAIL);
}

TEST_CASE("an unbound socket that listens gets the pod's address, not the wildcard") {
  CHECK(to_string(plan_listen(AF_INET, false, kPod).address) == "127.64.0.5:0");
  CHECK(to_string(plan_listen(AF_INET6, false, kPod).address) == "[::ffff:127.64.0.5]:0");
  CHECK(to_string(plan_listen(AF_INET6, true, kPod).address) == "[::127.64.0.5]:0");
}

TEST_CASE("localhost as a destination is the pod itself, and the source is always the pod's IP") {
  for (const char* to : {"127.0.0.1", "0.0.0.0"}) {
    auto plan = plan_peer(address(to, 9000), false, kPod);
    REQUIRE(plan.rewrite);
    CHECK(to_string(*plan.rewrite) == "127.64.0.5:9000");
    REQUIRE(plan.source);
    CHECK(to_string(*plan.source) == "127.64.0.5:0");
  }
  auto other = plan_peer(address("127.64.0.9", 6379), false, kPod);
  CHECK_FALSE(other.rewrite);
  REQUIRE(other.source);
  CHECK(to_string(*other.source) == "127.64.0.5:0");
}

TEST_CASE("IPv6 destinations: ::1 is the pod over v4-mapped; native IPv6 is left alone") {
  auto self = plan_peer(address("::1", 9000), false, kPod);
  REQUIRE(self.rewrite);
  CHECK(to_string(*self.rewrite) == "[::ffff:127.64.0.5]:9000");
  CHECK(to_string(*self.source) == "[::ffff:127.64.0.5]:0");
  auto mapped = plan_peer(address("::ffff:127.64.0.9", 80), false, kPod);
  CHECK_FALSE(mapped.rewrite);
  CHECK(to_string(*mapped.source) == "[::ffff:127.64.0.5]:0");
  auto native = plan_peer(address("2001:db8::1", 443), false, kPod);
  CHECK_FALSE(native.rewrite);
  CHECK_FALSE(native.source);
  CHECK(plan_peer(address("::1", 9000), true, kPod).error == ECONNREFUSED);
}

TEST_CASE("sockaddr conversions keep family, address and port, and refuse short buffers") {
  sockaddr_storage storage;
  auto a = address("127.64.0.5", 443);
  socklen_t length = to_sockaddr(a, storage);
  CHECK(length == sizeof(sockaddr_in));
  auto back = inet_address_of(&storage, length);
  REQUIRE(back);
  CHECK(to_string(*back) == "127.64.0.5:443");
  CHECK_FALSE(inet_address_of(&storage, length - 1));
  auto b = address("::1", 53);
  length = to_sockaddr(b, storage);
  CHECK(to_string(*inet_address_of(&storage, length)) == "[::1]:53");
  sockaddr_storage un{};
  un.ss_family = AF_UNIX;
  CHECK_FALSE(inet_address_of(&un, sizeof un));
}
