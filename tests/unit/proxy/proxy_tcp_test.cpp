// The proxy's TCP side over real sockets: backends on their own 127.201.1.x addresses, Services
// on 127.201.255.x (addresses no other test uses, so fixed ports cannot clash), clients bound to
// addresses of their own so the backend's view of the peer can be checked.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "proxy/proxy_thread.hpp"
#include "tests/unit/proxy/proxy_test_routes.hpp"
#include "tests/unit/support/loopback_backends.hpp"

using namespace kinda::proxy;
using namespace kinda::proxy::testing;
using namespace std::chrono_literals;

namespace {

Backend backend_of(const TcpGreeter& g) {
  return {g.ip(), g.port()};
}

struct Greeting {
  std::string backend;
  std::string peer;
};

// Connects through the Service and reads the backend's greeting; the fd stays open in `fd`.
Greeting greeting_via(const std::string& client_ip, const std::string& ip, uint16_t port,
                      int* fd_out = nullptr) {
  int fd = connect_from(client_ip, ip, port);
  REQUIRE(fd >= 0);
  std::string line = read_line(fd);
  auto space = line.find(' ');
  REQUIRE(space != std::string::npos);
  if (fd_out)
    *fd_out = fd;
  else
    ::close(fd);
  return {line.substr(0, space), line.substr(space + 1)};
}

// One echo through an open connection.
bool echoes(int fd, const std::string& text) {
  if (!write_all(fd, text.data(), text.size())) return false;
  std::string got(text.size(), '\0');
  size_t have = 0;
  while (have < got.size()) {
    ssize_t n = ::recv(fd, got.data() + have, got.size() - have, 0);
    if (n <= 0) return false;
    have += static_cast<size_t>(n);
  }
  return got == text;
}

}  // namespace

TEST_CASE("bytes round-trip and the backend sees the client's own address", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.1");
  auto relay = GENERATE(RelayMode::Copy, RelayMode::Splice);
  INFO((relay == RelayMode::Copy ? "copy relay" : "splice relay"));
  auto proxy = make_test_proxy(0.1, relay);
  proxy->start();
  serve(*proxy, {test_route("127.201.255.1", 18080, {backend_of(a)})});

  int fd = -1;
  auto hello = greeting_via("127.0.0.77", "127.201.255.1", 18080, &fd);
  CHECK(hello.backend == "a");
  CHECK(hello.peer == "127.0.0.77");
  // Several MiB both ways, then a half-close: the echo comes back whole, then end of stream.
  std::string payload(6 << 20, '\0');
  std::mt19937 random(7);
  for (auto& c : payload) c = static_cast<char>(random());
  std::thread writer([&] {
    write_all(fd, payload.data(), payload.size());
    ::shutdown(fd, SHUT_WR);
  });
  std::string echoed = read_to_end(fd);
  writer.join();
  ::close(fd);
  CHECK(echoed.size() == payload.size());
  CHECK(echoed == payload);

  CHECK(greeting_via("127.201.9.1", "127.201.255.1", 18080).peer == "127.201.9.1");
}

TEST_CASE("connections spread over the endpoints", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.2"), b("b", "127.201.1.3"), c("c", "127.201.1.4");
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy,
        {test_route("127.201.255.2", 18080, {backend_of(a), backend_of(b), backend_of(c)})});
  std::map<std::string, int> seen;
  for (int i = 0; i < 9; ++i) ++seen[greeting_via("127.201.9.2", "127.201.255.2", 18080).backend];
  CHECK(seen == std::map<std::string, int>{{"a", 3}, {"b", 3}, {"c", 3}});
}

TEST_CASE("ClientIP affinity sticks a client to its endpoint until idle", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.5"), b("b", "127.201.1.6");
  auto proxy = make_test_proxy(0.1);  // timeoutSeconds 3 → 300 ms
  proxy->start();
  auto route = test_route("127.201.255.3", 18080, {backend_of(a), backend_of(b)});
  route.client_ip_affinity = true;
  route.affinity_timeout = 3s;
  serve(*proxy, {route});

  auto first = greeting_via("127.201.9.3", "127.201.255.3", 18080).backend;
  auto other = greeting_via("127.201.9.4", "127.201.255.3", 18080).backend;
  CHECK(first != other);  // round-robin gave the second client the other endpoint
  for (int i = 0; i < 5; ++i) {
    CHECK(greeting_via("127.201.9.3", "127.201.255.3", 18080).backend == first);
    CHECK(greeting_via("127.201.9.4", "127.201.255.3", 18080).backend == other);
  }
  // A third client takes round-robin's next turn; after the timeout the first client is new
  // again and takes the turn after that.
  CHECK(greeting_via("127.201.9.5", "127.201.255.3", 18080).backend == first);
  std::this_thread::sleep_for(500ms);
  CHECK(greeting_via("127.201.9.3", "127.201.255.3", 18080).backend == other);
}

TEST_CASE("a port without endpoints refuses at once; relayed connections outlive it",
          "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.7");
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy, {test_route("127.201.255.4", 18080, {})});
  auto started = std::chrono::steady_clock::now();
  CHECK(connect_from("127.201.9.6", "127.201.255.4", 18080) == -ECONNREFUSED);
  CHECK(std::chrono::steady_clock::now() - started < 500ms);

  serve(*proxy, {test_route("127.201.255.4", 18080, {backend_of(a)})});
  int fd = -1;
  CHECK(greeting_via("127.201.9.6", "127.201.255.4", 18080, &fd).backend == "a");

  serve(*proxy, {test_route("127.201.255.4", 18080, {})});
  CHECK(connect_from("127.201.9.6", "127.201.255.4", 18080) == -ECONNREFUSED);
  CHECK(echoes(fd, "still here"));
  serve(*proxy, {});  // the Service deleted: the relay still goes on
  CHECK(echoes(fd, "and here"));
  ::close(fd);

  // Endpoints back: the port opens again on the same address.
  serve(*proxy, {test_route("127.201.255.4", 18080, {backend_of(a)})});
  CHECK(greeting_via("127.201.9.6", "127.201.255.4", 18080).backend == "a");
}

TEST_CASE("an endpoint taken away gets no new connections", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.8"), b("b", "127.201.1.9");
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy, {test_route("127.201.255.5", 18080, {backend_of(a), backend_of(b)})});
  int to_b = -1;
  std::string first = greeting_via("127.201.9.7", "127.201.255.5", 18080).backend;
  REQUIRE(first == "a");
  REQUIRE(greeting_via("127.201.9.7", "127.201.255.5", 18080, &to_b).backend == "b");

  serve(*proxy, {test_route("127.201.255.5", 18080, {backend_of(a)})});
  for (int i = 0; i < 4; ++i)
    CHECK(greeting_via("127.201.9.7", "127.201.255.5", 18080).backend == "a");
  CHECK(echoes(to_b, "established connections keep their endpoint"));
  ::close(to_b);
}

TEST_CASE("an endpoint that refuses is skipped for the next", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.10");
  uint16_t closed_port = free_host_port();  // nothing listens there on 127.201.1.11 either
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy,
        {test_route("127.201.255.6", 18080, {backend_of(a), {"127.201.1.11", closed_port}})});
  for (int i = 0; i < 4; ++i)
    CHECK(greeting_via("127.201.9.8", "127.201.255.6", 18080).backend == "a");
}

TEST_CASE("a NodePort listens on 127.0.0.1", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.12");
  uint16_t node_port = free_host_port();
  auto proxy = make_test_proxy();
  proxy->start();
  auto route = test_route("127.201.255.7", 18080, {backend_of(a)});
  route.node_port = node_port;
  serve(*proxy, {route});
  auto hello = greeting_via("127.0.0.1", "127.0.0.1", node_port);
  CHECK(hello.backend == "a");
  CHECK(hello.peer == "127.0.0.1");
  CHECK(greeting_via("127.201.9.9", "127.201.255.7", 18080).backend == "a");
  serve(*proxy, {test_route("127.201.255.7", 18080, {backend_of(a)})});  // NodePort removed
  CHECK(connect_from("127.0.0.1", "127.0.0.1", node_port) == -ECONNREFUSED);
}

TEST_CASE("a NodePort taken on the host is reported once and retried", "[proxy_tcp]") {
  TcpGreeter a("a", "127.201.1.13");
  // Something else holds the port on 127.0.0.1.
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  auto at = loopback_address("127.0.0.1", 0);
  REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
  REQUIRE(::listen(holder, 1) == 0);
  uint16_t node_port = bound_port(holder);

  std::mutex mutex;
  std::vector<ListenFailure> failures;
  auto proxy = make_test_proxy();
  proxy->on_listen_failure([&](const ListenFailure& f) {
    std::lock_guard lock(mutex);
    failures.push_back(f);
  });
  proxy->start();
  auto route = test_route("127.201.255.8", 18080, {backend_of(a)});
  route.node_port = node_port;
  serve(*proxy, {route});
  CHECK(greeting_via("127.201.9.10", "127.201.255.8", 18080).backend == "a");
  std::this_thread::sleep_for(350ms);  // a few retries
  {
    std::lock_guard lock(mutex);
    REQUIRE(failures.size() == 1);
    CHECK(failures[0].ns == "default");
    CHECK(failures[0].service == "svc-127.201.255.8");
    CHECK_THAT(failures[0].message,
               Catch::Contains("NodePort") &&
                   Catch::Contains("127.0.0.1:" + std::to_string(node_port) + "/TCP") &&
                   Catch::Contains("in use"));
  }
  ::close(holder);
  std::this_thread::sleep_for(350ms);
  CHECK(greeting_via("127.0.0.1", "127.0.0.1", node_port).backend == "a");
}

TEST_CASE("a reset on one side resets the other", "[proxy_tcp]") {
  int backend = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto at = loopback_address("127.201.1.14", 0);
  REQUIRE(::bind(backend, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
  REQUIRE(::listen(backend, 8) == 0);
  auto proxy = make_test_proxy();
  proxy->start();
  serve(*proxy, {test_route("127.201.255.9", 18080, {{"127.201.1.14", bound_port(backend)}})});
  auto accept_relayed = [backend] {
    pollfd p{backend, POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    int fd = ::accept4(backend, nullptr, nullptr, SOCK_CLOEXEC);
    set_receive_timeout(fd, 5000);
    return fd;
  };
  auto reset = [](int fd) {
    linger abort{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    ::close(fd);
  };
  char c;

  int client = connect_from("127.201.9.11", "127.201.255.9", 18080);
  REQUIRE(client >= 0);
  reset(accept_relayed());  // the backend aborts
  CHECK(::recv(client, &c, 1, 0) == -1);
  CHECK(errno == ECONNRESET);
  ::close(client);

  client = connect_from("127.201.9.11", "127.201.255.9", 18080);
  REQUIRE(client >= 0);
  int relayed = accept_relayed();
  reset(client);  // the client aborts
  CHECK(::recv(relayed, &c, 1, 0) == -1);
  CHECK(errno == ECONNRESET);
  ::close(relayed);
  ::close(backend);
}
