// The DNS server on real sockets: a client on 127.0.0.1 sends UDP datagrams and TCP streams to
// a Server running on its own io_context thread, as a pod's resolver would.
#include <catch2/catch.hpp>

#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dns/server.hpp"
#include "dns/wire_reader.hpp"
#include "dns/zone_index.hpp"
#include "tests/unit/support/dns_test_client.hpp"

using namespace kinda::dns;
using namespace dns_test;

namespace {

PodEndpoint redis_pod(int ordinal, bool ready) {
  PodEndpoint p;
  p.ns = "default";
  p.name = "redis-" + std::to_string(ordinal);
  p.hostname = p.name;
  p.subdomain = "redis";
  p.ip = "127.64.0." + std::to_string(10 + ordinal);
  p.ready = ready;
  p.labels = {{"app", "redis"}};
  return p;
}

// A running server with a headless "redis" service and one ready pod, redis-0.
class RunningServer {
 public:
  RunningServer() {
    index_.upsert_namespace("default");
    ServiceEntry redis;
    redis.ns = "default";
    redis.name = "redis";
    redis.headless = true;
    redis.selector = {{"app", "redis"}};
    index_.upsert_service(redis);
    index_.upsert_pod(redis_pod(0, true));
    server_.set_tcp_idle_timeout(std::chrono::milliseconds(300));
    const auto bound = server_.listen("127.0.0.1", 0);
    REQUIRE(bound.ok());
    port_ = *bound;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RunningServer() {
    on_io_thread([this] { server_.stop(); });
    work_.reset();
    thread_.join();
  }

  uint16_t port() const { return port_; }
  // The index and server belong to the io_context's thread; tests change them through it.
  void on_io_thread(const std::function<void()>& change) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      change();
      done.set_value();
    });
    done.get_future().wait();
  }
  ZoneIndex& index() { return index_; }
  Server& server() { return server_; }

 private:
  boost::asio::io_context io_;
  // Keeps run() going after a test stops the server, so on_io_thread still has a thread.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  ZoneIndex index_;
  Server server_{io_, index_};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("a pod's name resolves over UDP", "[dns][server]") {
  RunningServer server;
  ClientSocket client(SOCK_DGRAM, server.port());
  client.send(query(kRedis0, rtype::kA, 77));
  const Message m = parsed(client.receive());
  CHECK(m.header.id == 77);
  CHECK(m.header.aa);
  CHECK(answers(m) == std::vector<std::string>{kRedis0 + ". 5 IN A 127.64.0.10"});
}

TEST_CASE("TCP answers several length-prefixed queries on one connection", "[dns][server]") {
  RunningServer server;
  ClientSocket client(SOCK_STREAM, server.port());

  // Two queries pipelined in one write.
  std::vector<uint8_t> both = framed(query(kRedis0, rtype::kA, 1));
  const std::vector<uint8_t> second = framed(query("nope.default.svc.cluster.local", rtype::kA, 2));
  both.insert(both.end(), second.begin(), second.end());
  client.send(both);
  const Message first_reply = parsed(client.receive_framed());
  CHECK(first_reply.header.id == 1);
  CHECK(answers(first_reply) == std::vector<std::string>{kRedis0 + ". 5 IN A 127.64.0.10"});
  const Message second_reply = parsed(client.receive_framed());
  CHECK(second_reply.header.id == 2);
  CHECK(second_reply.header.rcode == rcode::kNXDomain);

  // A third split across writes, the length prefix itself in two pieces.
  const std::vector<uint8_t> third = framed(query(kRedis0, rtype::kA, 3));
  client.send({third.begin(), third.begin() + 1});
  client.send({third.begin() + 1, third.begin() + 7});
  client.send({third.begin() + 7, third.end()});
  CHECK(parsed(client.receive_framed()).header.id == 3);
}

TEST_CASE("answers too large for UDP are truncated there and complete over TCP", "[dns][server]") {
  RunningServer server;
  server.on_io_thread([&server] {
    for (int i = 1; i < 60; ++i) server.index().upsert_pod(redis_pod(i, true));
  });
  const std::string name = "redis.default.svc.cluster.local";

  ClientSocket udp(SOCK_DGRAM, server.port());
  udp.send(query(name));
  const std::vector<uint8_t> datagram = udp.receive();
  CHECK(datagram.size() <= 512);
  CHECK(parsed(datagram).header.tc);

  ClientSocket tcp(SOCK_STREAM, server.port());
  tcp.send(framed(query(name)));
  const Message whole = parsed(tcp.receive_framed());
  CHECK_FALSE(whole.header.tc);
  CHECK(whole.answers.size() == 60);
}

TEST_CASE("index changes show in the next answer", "[dns][server]") {
  RunningServer server;
  ClientSocket client(SOCK_DGRAM, server.port());
  const std::string redis1 = "redis-1.redis.default.svc.cluster.local";
  const auto rcode_of = [&client](const std::string& name) {
    client.send(query(name));
    return parsed(client.receive()).header.rcode;
  };

  server.on_io_thread([&server] { server.index().upsert_pod(redis_pod(1, false)); });
  CHECK(rcode_of(redis1) == rcode::kNXDomain);
  server.on_io_thread([&server] { server.index().upsert_pod(redis_pod(1, true)); });
  CHECK(rcode_of(redis1) == rcode::kNoError);
  server.on_io_thread([&server] { server.index().remove_pod("default", "redis-1"); });
  CHECK(rcode_of(redis1) == rcode::kNXDomain);
}

TEST_CASE("garbage datagrams are dropped and the server keeps answering", "[dns][server]") {
  RunningServer server;
  ClientSocket client(SOCK_DGRAM, server.port());
  client.send({1, 2, 3});  // shorter than a header: dropped
  std::vector<uint8_t> response_packet = query(kRedis0);
  response_packet[2] |= 0x80;  // a response: dropped
  client.send(response_packet);
  std::vector<uint8_t> broken = query(kRedis0, rtype::kA, 9);
  broken.resize(broken.size() - 2);  // truncated question: FORMERR
  client.send(broken);
  const Message formerr = parsed(client.receive());
  CHECK(formerr.header.id == 9);
  CHECK(formerr.header.rcode == rcode::kFormErr);
  client.send(query(kRedis0, rtype::kA, 10));
  CHECK(parsed(client.receive()).header.id == 10);
}

TEST_CASE("idle TCP connections are closed after the idle timeout", "[dns][server]") {
  RunningServer server;  // idle timeout 300 ms
  ClientSocket client(SOCK_STREAM, server.port());
  client.send({0});                 // half a length prefix, then nothing
  CHECK(client.receive().empty());  // EOF well before the client's 5 s receive timeout
}

TEST_CASE("a zero-length TCP message closes the connection", "[dns][server]") {
  RunningServer server;
  ClientSocket client(SOCK_STREAM, server.port());
  client.send({0, 0});
  CHECK(client.receive().empty());
}

TEST_CASE("stop closes open connections", "[dns][server]") {
  RunningServer server;
  ClientSocket client(SOCK_STREAM, server.port());
  client.send(framed(query(kRedis0)));
  CHECK_FALSE(client.receive_framed().empty());
  server.on_io_thread([&server] { server.server().stop(); });
  CHECK(client.receive().empty());
}

TEST_CASE("listen reports addresses in use and malformed addresses", "[dns][server]") {
  RunningServer server;
  std::optional<kinda::Result<uint16_t>> again, malformed, second_address;
  server.on_io_thread([&] {
    again = server.server().listen("127.0.0.1", server.port());
    malformed = server.server().listen("not-an-address", 0);
    second_address = server.server().listen("127.0.0.2", server.port());
  });
  REQUIRE_FALSE(again->ok());
  CHECK_THAT(again->error().message, Catch::Contains("127.0.0.1:" + std::to_string(server.port())));
  REQUIRE_FALSE(malformed->ok());
  CHECK_THAT(malformed->error().message, Catch::Contains("not-an-address"));
  // Another loopback address may use the same port.
  REQUIRE(second_address->ok());
  CHECK(**second_address == server.port());
}

TEST_CASE("dig resolves names through the server over UDP and TCP", "[dns][server][dig]") {
  if (!std::filesystem::exists("/usr/bin/dig")) {
    WARN("dig is not installed; skipping the independent-client check");
    return;
  }
  RunningServer server;
  for (const std::string transport : {"+notcp", "+tcp"}) {
    const std::string command = "/usr/bin/dig +short +tries=1 +time=5 " + transport +
                                " @127.0.0.1 -p " + std::to_string(server.port()) + " " + kRedis0 +
                                " A";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    CHECK(::pclose(pipe) == 0);
    CHECK(output == "127.64.0.10\n");
  }
}
