// The proxy's UDP side over real sockets: a flow per client, replies from the Service's address,
// refusal (ICMP port unreachable) without endpoints, flows moving off an endpoint taken away.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "proxy/proxy_thread.hpp"
#include "tests/unit/proxy/proxy_test_routes.hpp"
#include "tests/unit/support/loopback_backends.hpp"

using namespace kinda::proxy;
using namespace kinda::proxy::testing;
using namespace std::chrono_literals;

namespace {

Backend udp_backend_of(const UdpResponder& r) {
  return {r.ip(), r.port()};
}

int udp_client(const std::string& ip) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto a = loopback_address(ip, 0);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  set_receive_timeout(fd, 2000);
  return fd;
}

struct Reply {
  std::string text;
  std::string from;  // "ip:port"
};

Reply ask(int fd, const std::string& ip, uint16_t port, const std::string& text) {
  auto to = loopback_address(ip, port);
  ::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  char buf[2048];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  ssize_t n = ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n < 0) return {};
  return {std::string(buf, static_cast<size_t>(n)),
          ip_of(from) + ":" + std::to_string(ntohs(from.sin_port))};
}

}  // namespace

TEST_CASE("UDP request and reply through the ClusterIP", "[proxy_udp]") {
  UdpResponder u("u1", "127.201.2.1");
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy, {test_route("127.201.255.20", 15353, {udp_backend_of(u)}, Protocol::Udp)});
  int fd = udp_client("127.201.9.20");
  auto reply = ask(fd, "127.201.255.20", 15353, "hello");
  CHECK(reply.text == "u1 127.201.9.20:hello");  // the backend saw the client's address
  CHECK(reply.from == "127.201.255.20:15353");   // and the reply came from the Service's
  CHECK(ask(fd, "127.201.255.20", 15353, "again").text == "u1 127.201.9.20:again");
  ::close(fd);
}

TEST_CASE("UDP without endpoints is refused; a connected client sees ECONNREFUSED", "[proxy_udp]") {
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy, {test_route("127.201.255.21", 15353, {}, Protocol::Udp)});
  int fd = udp_client("127.201.9.21");
  auto to = loopback_address("127.201.255.21", 15353);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
  REQUIRE(::send(fd, "x", 1, 0) == 1);
  char buf[16];
  CHECK(::recv(fd, buf, sizeof buf, 0) == -1);
  CHECK(errno == ECONNREFUSED);
  ::close(fd);
}

TEST_CASE("UDP flows keep their endpoint and move when it goes away", "[proxy_udp]") {
  UdpResponder u1("u1", "127.201.2.2"), u2("u2", "127.201.2.3");
  auto proxy = make_test_proxy();
  proxy->start();
  auto both =
      test_route("127.201.255.22", 15353, {udp_backend_of(u1), udp_backend_of(u2)}, Protocol::Udp);
  serve(*proxy, {both});
  int c1 = udp_client("127.201.9.22"), c2 = udp_client("127.201.9.23");
  CHECK(ask(c1, "127.201.255.22", 15353, "a").text == "u1 127.201.9.22:a");
  CHECK(ask(c2, "127.201.255.22", 15353, "b").text == "u2 127.201.9.23:b");
  for (int i = 0; i < 3; ++i) {  // a flow stays on its endpoint
    CHECK(ask(c1, "127.201.255.22", 15353, "a").text == "u1 127.201.9.22:a");
    CHECK(ask(c2, "127.201.255.22", 15353, "b").text == "u2 127.201.9.23:b");
  }
  serve(*proxy, {test_route("127.201.255.22", 15353, {udp_backend_of(u1)}, Protocol::Udp)});
  CHECK(ask(c2, "127.201.255.22", 15353, "b").text == "u1 127.201.9.23:b");
  ::close(c1);
  ::close(c2);
}

TEST_CASE("idle UDP flows end and pick afresh", "[proxy_udp]") {
  UdpResponder u1("u1", "127.201.2.4"), u2("u2", "127.201.2.5");
  auto proxy = make_test_proxy(0.01);  // the 30 s idle timeout becomes 300 ms
  proxy->start();
  serve(*proxy, {test_route("127.201.255.23", 15353, {udp_backend_of(u1), udp_backend_of(u2)},
                            Protocol::Udp)});
  int c = udp_client("127.201.9.24");
  CHECK(ask(c, "127.201.255.23", 15353, "a").text == "u1 127.201.9.24:a");
  CHECK(ask(c, "127.201.255.23", 15353, "a").text == "u1 127.201.9.24:a");
  std::this_thread::sleep_for(600ms);
  CHECK(ask(c, "127.201.255.23", 15353, "a").text == "u2 127.201.9.24:a");
  ::close(c);
}

TEST_CASE("a UDP NodePort listens on 127.0.0.1", "[proxy_udp]") {
  UdpResponder u("u1", "127.201.2.6");
  uint16_t node_port = free_host_port(SOCK_DGRAM);
  auto proxy = make_test_proxy();
  proxy->start();
  auto route = test_route("127.201.255.24", 15353, {udp_backend_of(u)}, Protocol::Udp);
  route.node_port = node_port;
  serve(*proxy, {route});
  int c = udp_client("127.0.0.1");
  auto reply = ask(c, "127.0.0.1", node_port, "n");
  CHECK(reply.text == "u1 127.0.0.1:n");
  CHECK(reply.from == "127.0.0.1:" + std::to_string(node_port));
  ::close(c);
}
