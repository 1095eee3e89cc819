// Forwarding as a pod's resolver sees it: the server under test answers cluster.local itself and
// sends every other name, through c-ares, to an upstream that is itself a kinda DNS server for
// example.test. Both run on one io_context thread; clients use plain sockets.
#include <catch2/catch.hpp>

#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dns/query.hpp"
#include "dns/server.hpp"
#include "dns/wire_reader.hpp"
#include "dns/zone_index.hpp"
#include "tests/unit/support/dns_test_client.hpp"

using namespace kinda::dns;
using namespace dns_test;

namespace {

const std::string kWeb = "web.default.svc.example.test";
const std::string kBig = "big.default.svc.example.test";  // 60 addresses: over 512 octets

ZoneConfig example_test() {
  ZoneConfig config;
  config.domain = "example.test";
  return config;
}

PodEndpoint cluster_pod(const std::string& name, const std::string& app, const std::string& ip) {
  PodEndpoint p;
  p.ns = "default";
  p.name = name;
  p.ip = ip;
  p.ready = true;
  p.labels = {{"app", app}};
  return p;
}

ServiceEntry cluster_headless(const std::string& name) {
  ServiceEntry s;
  s.ns = "default";
  s.name = name;
  s.headless = true;
  s.selector = {{"app", name}};
  return s;
}

// A UDP socket that is bound but never read: an upstream that never answers.
class SilentUpstream {
 public:
  SilentUpstream() : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~SilentUpstream() { ::close(fd_); }
  UpstreamServer server() const { return {"127.0.0.1", port_}; }
  int fd() const { return fd_; }

 private:
  int fd_;
  uint16_t port_ = 0;
};

// An upstream the test plays by hand: it reads each query, then answers it (an empty NOERROR
// reply) or lets it go unanswered.
class ManualUpstream {
 public:
  ManualUpstream() {
    const timeval timeout{5, 0};
    ::setsockopt(silent_fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  UpstreamServer server() const { return socket_.server(); }
  // The next query's bytes; empty when none came within five seconds.
  std::vector<uint8_t> receive() {
    std::vector<uint8_t> packet(512);
    from_length_ = sizeof from_;
    const ssize_t got = ::recvfrom(silent_fd(), packet.data(), packet.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from_), &from_length_);
    packet.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return packet;
  }
  void answer(std::vector<uint8_t> query) {
    query[2] |= 0x80;  // QR: the query itself, turned into a reply with no records
    ::sendto(silent_fd(), query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&from_),
             from_length_);
  }

 private:
  int silent_fd() const { return socket_.fd(); }

  SilentUpstream socket_;
  sockaddr_in from_{};
  socklen_t from_length_ = 0;
};

// A port nothing listens on: bound for a moment to learn a free one, then closed.
UpstreamServer closed_port() {
  const SilentUpstream gone;
  return gone.server();
}

// The server under test (cluster.local, with redis-0) and the upstream (example.test, with a
// one-pod "web" and a sixty-pod "big" headless service), on one io_context thread.
class ForwardingServers {
 public:
  ForwardingServers() {
    cluster_.upsert_namespace("default");
    cluster_.upsert_service(cluster_headless("redis"));
    PodEndpoint redis0 = cluster_pod("redis-0", "redis", "127.64.0.10");
    redis0.hostname = "redis-0";
    redis0.subdomain = "redis";
    cluster_.upsert_pod(redis0);
    upstream_zone_.upsert_namespace("default");
    upstream_zone_.upsert_service(cluster_headless("web"));
    upstream_zone_.upsert_pod(cluster_pod("web-0", "web", "10.0.0.5"));
    upstream_zone_.upsert_service(cluster_headless("big"));
    for (int i = 0; i < 60; ++i)
      upstream_zone_.upsert_pod(
          cluster_pod("big-" + std::to_string(i), "big", "10.1.0." + std::to_string(i)));
    const auto upstream_port = upstream_.listen("127.0.0.1", 0);
    const auto port = server_.listen("127.0.0.1", 0);
    REQUIRE(upstream_port.ok());
    REQUIRE(port.ok());
    upstream_port_ = *upstream_port;
    port_ = *port;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ForwardingServers() {
    on_io_thread([this] {
      server_.stop();
      upstream_.stop();
    });
    work_.reset();
    thread_.join();
  }

  uint16_t port() const { return port_; }
  uint16_t upstream_port() const { return upstream_port_; }
  UpstreamServer upstream() const { return {"127.0.0.1", upstream_port_}; }

  // Points the server under test at `options.servers`; returns the servers it kept.
  std::vector<UpstreamServer> forward(ForwarderOptions options) {
    std::optional<kinda::Result<std::vector<UpstreamServer>>> kept;
    on_io_thread([&] { kept = server_.forward(std::move(options)); });
    REQUIRE(kept->ok());
    return **kept;
  }
  std::vector<UpstreamServer> forward_to(const UpstreamServer& server) {
    ForwarderOptions options;
    options.servers = {server};
    return forward(std::move(options));
  }
  std::vector<UpstreamServer> forward_to_upstream() { return forward_to(upstream()); }

  // What the cluster zone itself answers, computed on the io thread.
  std::vector<uint8_t> zone_answer(const std::vector<uint8_t>& q, size_t max_size) {
    std::vector<uint8_t> out;
    on_io_thread([&] { out = cluster_.answer(q.data(), q.size(), max_size); });
    return out;
  }
  void stop() {
    on_io_thread([this] { server_.stop(); });
  }

 private:
  void on_io_thread(const std::function<void()>& work) {
    std::promise<void> done;
    boost::asio::post(io_, [&] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  ZoneIndex cluster_;
  ZoneIndex upstream_zone_{example_test()};
  Server upstream_{io_, upstream_zone_};
  Server server_{io_, cluster_};
  uint16_t port_ = 0, upstream_port_ = 0;
  std::thread thread_;
};

std::vector<uint8_t> ask_udp(uint16_t port, const std::vector<uint8_t>& query) {
  ClientSocket client(SOCK_DGRAM, port);
  client.send(query);
  return client.receive();
}

std::vector<uint8_t> ask_tcp(uint16_t port, const std::vector<uint8_t>& query) {
  ClientSocket client(SOCK_STREAM, port);
  client.send(framed(query));
  return client.receive_framed();
}

std::vector<uint8_t> edns_query(const std::string& name, uint16_t udp_size, uint16_t id) {
  QueryOptions options;
  options.id = id;
  options.edns_udp_size = udp_size;
  return build_query({*Name::parse(name), rtype::kA, rclass::kIN}, options);
}

void check_servfail(const std::vector<uint8_t>& reply, uint16_t id, const std::string& name) {
  const Message m = parsed(reply);
  CHECK(m.header.id == id);
  CHECK(m.header.rcode == rcode::kServFail);
  CHECK(m.header.ra);
  REQUIRE(m.questions.size() == 1);
  CHECK(m.questions[0].name.to_string() == name + ".");
  CHECK(m.answers.empty());
}

}  // namespace

TEST_CASE("a name outside the zone comes back as the upstream answered it, under the client's ID",
          "[dns][forward]") {
  ForwardingServers servers;
  REQUIRE(servers.forward_to_upstream() == std::vector<UpstreamServer>{servers.upstream()});
  const std::vector<uint8_t> q = query(kWeb, rtype::kA, 4242);
  const std::vector<uint8_t> direct = ask_udp(servers.upstream_port(), q);

  for (const auto& ask : {ask_udp, ask_tcp}) {
    const std::vector<uint8_t> forwarded = ask(servers.port(), q);
    const Message m = parsed(forwarded);
    CHECK(m.header.id == 4242);
    CHECK(answers(m) == std::vector<std::string>{kWeb + ". 5 IN A 10.0.0.5"});
    // Byte for byte, RA and AA included: c-ares used its own ID upstream, we put ours back.
    CHECK(m.header.ra == parsed(direct).header.ra);
    CHECK(forwarded == direct);
  }
}

TEST_CASE("NXDOMAIN from the upstream reaches the client with the upstream's SOA",
          "[dns][forward]") {
  ForwardingServers servers;
  servers.forward_to_upstream();
  const Message m = parsed(ask_udp(servers.port(), query("nosuch.default.svc.example.test")));
  CHECK(m.header.rcode == rcode::kNXDomain);
  REQUIRE(m.authority.size() == 1);
  CHECK(m.authority[0].type == rtype::kSOA);
  CHECK(m.authority[0].name.to_string() == "example.test.");
}

TEST_CASE("an upstream answer over the client's UDP limit is truncated; TCP and EDNS get it whole",
          "[dns][forward]") {
  ForwardingServers servers;
  servers.forward_to_upstream();

  const std::vector<uint8_t> truncated = ask_udp(servers.port(), query(kBig, rtype::kA, 7));
  CHECK(truncated.size() <= 512);
  const Message cut = parsed(truncated);
  CHECK(cut.header.id == 7);
  CHECK(cut.header.tc);
  CHECK(cut.header.rcode == rcode::kNoError);
  REQUIRE(cut.questions.size() == 1);
  CHECK(cut.questions[0].name.to_string() == kBig + ".");
  CHECK(cut.answers.empty());

  const Message over_tcp = parsed(ask_tcp(servers.port(), query(kBig, rtype::kA, 8)));
  CHECK_FALSE(over_tcp.header.tc);
  CHECK(over_tcp.answers.size() == 60);

  const std::vector<uint8_t> large = ask_udp(servers.port(), edns_query(kBig, 4096, 9));
  CHECK(large.size() > 512);
  const Message with_edns = parsed(large);
  CHECK(with_edns.header.id == 9);
  CHECK_FALSE(with_edns.header.tc);
  CHECK(with_edns.answers.size() == 60);
}

TEST_CASE("an upstream that refuses connections or stays silent gets the client SERVFAIL",
          "[dns][forward]") {
  ForwardingServers servers;
  const SilentUpstream silent;
  ForwarderOptions options;
  SECTION("a closed port") {
    options.servers = {closed_port()};
  }
  SECTION("a socket that never answers") {
    options.servers = {silent.server()};
  }
  options.timeout = std::chrono::milliseconds(200);
  options.tries = 1;
  servers.forward(options);
  check_servfail(ask_udp(servers.port(), query(kWeb, rtype::kA, 31)), 31, kWeb);
  check_servfail(ask_tcp(servers.port(), query(kWeb, rtype::kA, 32)), 32, kWeb);
}

TEST_CASE("a query after an answered one still times out when the upstream stays silent",
          "[dns][forward]") {
  ForwardingServers servers;
  ManualUpstream upstream;
  ForwarderOptions options;
  options.servers = {upstream.server()};
  options.timeout = std::chrono::milliseconds(200);
  options.tries = 1;
  servers.forward(options);
  ClientSocket client(SOCK_DGRAM, servers.port());

  client.send(query(kWeb, rtype::kA, 41));
  const std::vector<uint8_t> first = upstream.receive();
  REQUIRE_FALSE(first.empty());
  upstream.answer(first);
  const Message answered = parsed(client.receive());
  CHECK(answered.header.id == 41);
  CHECK(answered.header.rcode == rcode::kNoError);

  client.send(query(kWeb, rtype::kA, 42));
  CHECK_FALSE(upstream.receive().empty());  // read, never answered
  check_servfail(client.receive(), 42, kWeb);
}

TEST_CASE("without an upstream, names outside the zone are REFUSED", "[dns][forward]") {
  ForwardingServers servers;
  SECTION("none configured") {}
  SECTION("the only upstream given is the server itself, which would loop") {
    CHECK(servers.forward_to({"127.0.0.1", servers.port()}).empty());
  }
  const Message m = parsed(ask_udp(servers.port(), query(kWeb, rtype::kA, 5)));
  CHECK(m.header.id == 5);
  CHECK(m.header.rcode == rcode::kRefused);
}

TEST_CASE("with a forwarder, the zone's own names and refusals are answered as before",
          "[dns][forward]") {
  ForwardingServers servers;
  servers.forward_to_upstream();
  const std::vector<uint8_t> in_zone = query(kRedis0, rtype::kA, 11);
  CHECK(ask_udp(servers.port(), in_zone) == servers.zone_answer(in_zone, 512));
  CHECK(ask_tcp(servers.port(), in_zone) == servers.zone_answer(in_zone, 65535));
  const std::vector<uint8_t> missing = query("nosuch.default.svc.cluster.local", rtype::kA, 12);
  CHECK(parsed(ask_udp(servers.port(), missing)).header.rcode == rcode::kNXDomain);
  // Zone transfers are refused whatever the name, never forwarded.
  const Message axfr = parsed(ask_tcp(servers.port(), query(kWeb, rtype::kAXFR, 13)));
  CHECK(axfr.header.rcode == rcode::kRefused);
}

TEST_CASE("queries beyond the forwarding cap get SERVFAIL at once", "[dns][forward]") {
  ForwardingServers servers;
  const SilentUpstream silent;
  ForwarderOptions options;
  options.servers = {silent.server()};
  options.timeout = std::chrono::milliseconds(60'000);  // the first query waits until teardown
  options.max_outstanding = 1;
  servers.forward(options);
  ClientSocket client(SOCK_DGRAM, servers.port());
  client.send(query(kWeb, rtype::kA, 1));
  client.send(query(kWeb, rtype::kA, 2));
  check_servfail(client.receive(), 2, kWeb);
}

TEST_CASE("a forwarded query waiting on TCP does not hold up later answers; stop drops it",
          "[dns][forward]") {
  ForwardingServers servers;
  const SilentUpstream silent;
  ForwarderOptions options;
  options.servers = {silent.server()};
  options.timeout = std::chrono::milliseconds(60'000);
  servers.forward(options);
  ClientSocket client(SOCK_STREAM, servers.port());
  client.send(framed(query(kWeb, rtype::kA, 1)));
  client.send(framed(query(kRedis0, rtype::kA, 2)));
  const Message first = parsed(client.receive_framed());
  CHECK(first.header.id == 2);
  CHECK(answers(first) == std::vector<std::string>{kRedis0 + ". 5 IN A 127.64.0.10"});
  servers.stop();
  CHECK(client.receive().empty());  // closed without a reply to the forwarded query
}
