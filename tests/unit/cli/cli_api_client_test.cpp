// The client and the commands against a real HTTP/1.1 server on a Unix socket: a thread that
// accepts one connection per canned response and records each request.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"

using namespace kinda::cli;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string reply(int code, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(code) + " X\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

std::string chunked(const std::vector<std::string>& chunks, bool finish = true) {
  std::string out =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (const auto& c : chunks) {
    std::ostringstream size;
    size << std::hex << c.size();
    out += size.str() + "\r\n" + c + "\r\n";
  }
  return finish ? out + "0\r\n\r\n" : out;
}

std::string status(int code, const std::string& reason, const std::string& message) {
  return json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
              {"reason", reason}, {"message", message}, {"code", code}}
      .dump();
}

struct Request {
  std::string head;  // request line and headers
  std::string body;
  std::string line() const { return head.substr(0, head.find("\r\n")); }
};

// Answers each connection with the next canned response, then waits for the client to hang up.
class FakeServer {
 public:
  FakeServer(const fs::path& socket_path, std::vector<std::string> responses)
      : responses_(std::move(responses)) {
    fs::create_directories(socket_path.parent_path());
    listener_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(listener_, 8) == 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    if (thread_.joinable()) thread_.join();
    close(listener_);
  }
  // Every request received, once all responses were sent.
  std::vector<Request> requests() {
    if (thread_.joinable()) thread_.join();
    return requests_;
  }

 private:
  void serve() {
    for (const auto& response : responses_) {
      pollfd ready{listener_, POLLIN, 0};
      if (poll(&ready, 1, 10'000) != 1) return;  // the client never came: fail, don't hang
      int connection = accept(listener_, nullptr, nullptr);
      requests_.push_back(read_request(connection));
      send(connection, response.data(), response.size(), MSG_NOSIGNAL);
      char sink[256];
      pollfd hangup{connection, POLLIN, 0};
      while (poll(&hangup, 1, 10'000) == 1 && recv(connection, sink, sizeof sink, 0) > 0) {
      }
      close(connection);
    }
  }

  static Request read_request(int connection) {
    std::string data;
    char buffer[4096];
    size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) return {data, ""};
      data.append(buffer, n);
    }
    Request request{data.substr(0, head_end), data.substr(head_end + 4)};
    std::string lower = request.head;
    for (auto& c : lower) c = std::tolower(static_cast<unsigned char>(c));
    size_t length = 0;
    if (auto at = lower.find("content-length: "); at != std::string::npos)
      length = std::stoul(lower.substr(at + 16));
    while (request.body.size() < length) {
      ssize_t n = recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request.body.append(buffer, n);
    }
    return request;
  }

  std::vector<std::string> responses_;
  std::vector<Request> requests_;
  int listener_ = -1;
  std::thread thread_;
};

// A KINDA_HOME of its own, so cluster "t" has its socket at <home>/t/run/api.sock.
struct Home {
  fs::path root = fs::temp_directory_path() / ("kinda-cli-" + std::to_string(getpid()));
  Home() {
    fs::create_directories(root);
    setenv("KINDA_HOME", root.c_str(), 1);
  }
  ~Home() { fs::remove_all(root); }
  fs::path socket() const { return root / "t" / "run" / "api.sock"; }
};

struct CommandOutcome {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs `kinda ARGS…` through register_commands with --cluster t, capturing stdout and stderr.
CommandOutcome run(std::vector<std::string> args, const std::string& ns = "") {
  CLI::App app("kinda");
  GlobalOptions global;
  global.cluster = "t";
  global.ns = ns;
  register_commands(app, global);
  app.require_subcommand(1);
  std::vector<const char*> argv = {"kinda"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  int code = 0;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    code = app.exit(e, err, err);
  }
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {code, out.str(), err.str()};
}

json watched_pod(const std::string& rv, bool ready) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"name", "redis-0"}, {"namespace", "default"}, {"resourceVersion", rv}, {"uid", "u1"}}},
          {"status",
           {{"phase", "Running"},
            {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
}

}  // namespace

TEST_CASE("query values are URL-encoded and empty ones left out") {
  CHECK(url_encode("app in (a,b)") == "app%20in%20%28a%2Cb%29");
  CHECK(with_query("/api/v1/pods", {{"labelSelector", "app=redis"}, {"watch", ""}}) ==
        "/api/v1/pods?labelSelector=app%3Dredis");
}

TEST_CASE("the client speaks HTTP over the daemon's Unix socket") {
  Home home;
  FakeServer server(home.socket(), {reply(200, R"({"kind":"PodList","items":[]})"),
                                    reply(201, R"({"metadata":{"name":"a"}})")});
  ApiClient client(home.socket().string(), "t");
  auto list = client.get(with_query("/api/v1/namespaces/default/pods", {{"labelSelector", "a=b"}}));
  REQUIRE(list.ok());
  CHECK((*list)["kind"] == "PodList");
  auto created = client.post("/api/v1/namespaces/default/pods", json{{"kind", "Pod"}});
  REQUIRE(created.ok());
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].line() == "GET /api/v1/namespaces/default/pods?labelSelector=a%3Db HTTP/1.1");
  CHECK(requests[1].line() == "POST /api/v1/namespaces/default/pods HTTP/1.1");
  CHECK(requests[1].head.find("Content-Type: application/json") != std::string::npos);
  CHECK(json::parse(requests[1].body) == json{{"kind", "Pod"}});
}

TEST_CASE("a non-2xx reply becomes the Error its Status describes") {
  Home home;
  FakeServer server(home.socket(), {reply(404, status(404, "NotFound", "pods \"x\" not found")),
                                    reply(500, "boom")});
  ApiClient client(home.socket().string(), "t");
  auto missing = client.get("/api/v1/namespaces/default/pods/x");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == 404);
  CHECK(missing.error().reason == "NotFound");
  CHECK(missing.error().message == "pods \"x\" not found");
  CHECK_FALSE(is_transport_error(missing.error()));
  auto broken = client.del("/api/v1/namespaces/default/pods/x");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().code == 500);
  CHECK(broken.error().message.find("boom") != std::string::npos);
}

TEST_CASE("a stream hands over chunked lines until the server ends it") {
  Home home;
  FakeServer server(home.socket(), {chunked({"{\"type\":\"ADDED\"}\n{\"ty", "pe\":\"MODIFIED\"}\n",
                                             "{\"type\":\"DELETED\"}\n"})});
  ApiClient client(home.socket().string(), "t");
  std::vector<std::string> lines;
  kinda::Status done =
      client.stream("/api/v1/namespaces/default/pods?watch=true", [&](std::string_view l) {
        lines.emplace_back(l);
        return true;
      });
  REQUIRE(done.ok());
  CHECK(lines == std::vector<std::string>{R"({"type":"ADDED"})", R"({"type":"MODIFIED"})",
                                          R"({"type":"DELETED"})"});
  CHECK(server.requests()[0].line() == "GET /api/v1/namespaces/default/pods?watch=true HTTP/1.1");
}

TEST_CASE("a stream stops when the handler says so, even while the server holds it open") {
  Home home;
  FakeServer server(home.socket(), {chunked({"one\ntwo\n"}, false)});
  ApiClient client(home.socket().string(), "t");
  std::vector<std::string> lines;
  kinda::Status done = client.stream("/watch", [&](std::string_view l) {
    lines.emplace_back(l);
    return false;
  });
  CHECK(done.ok());
  CHECK(lines == std::vector<std::string>{"one"});
}

TEST_CASE("a stream that outlives its timeout is a timeout error") {
  Home home;
  FakeServer server(home.socket(), {chunked({"one\n"}, false)});
  ApiClient client(home.socket().string(), "t");
  kinda::Status done = client.stream(
      "/watch", [](std::string_view) { return true; }, std::chrono::milliseconds(200));
  REQUIRE_FALSE(done.ok());
  CHECK(is_timeout(done.error()));
}

TEST_CASE("an unreachable daemon is an error that says to run kinda up") {
  Home home;
  ApiClient client(home.socket().string(), "t");
  auto result = client.get("/version");
  REQUIRE_FALSE(result.ok());
  CHECK(is_transport_error(result.error()));
  CHECK(result.error().message == "cannot reach the kinda daemon of cluster \"t\" at " +
                                      home.socket().string() +
                                      ": is it running? Start it with `kinda up`");
}

TEST_CASE("apply creates what is missing and replaces what exists with its resourceVersion") {
  Home home;
  std::string file = (home.root / "redis.yaml").string();
  std::ofstream(file) << "apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\n---\n"
                         "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\n"
                         "spec:\n  replicas: 3\n---\n"
                         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n";
  json live_set = {{"metadata", {{"name", "redis"}, {"resourceVersion", "5"}}}};
  json updated_set = {{"metadata", {{"name", "redis"}, {"resourceVersion", "6"}}}};
  json live_ns = {{"metadata", {{"name", "team"}, {"resourceVersion", "2"}}}};
  FakeServer server(home.socket(),
                    {reply(404, status(404, "NotFound", "services \"redis\" not found")),
                     reply(201, R"({"metadata":{"name":"redis","resourceVersion":"4"}})"),
                     reply(200, live_set.dump()), reply(200, updated_set.dump()),
                     reply(200, live_ns.dump()), reply(200, live_ns.dump())});
  CommandOutcome outcome = run({"apply", "-f", file});
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.out ==
        "service/redis created\nstatefulset.apps/redis configured\nnamespace/team unchanged\n");
  auto requests = server.requests();
  REQUIRE(requests.size() == 6);
  CHECK(requests[0].line() == "GET /api/v1/namespaces/default/services/redis HTTP/1.1");
  CHECK(requests[1].line() == "POST /api/v1/namespaces/default/services HTTP/1.1");
  CHECK(requests[3].line() == "PUT /apis/apps/v1/namespaces/default/statefulsets/redis HTTP/1.1");
  json put = json::parse(requests[3].body);
  CHECK(put["metadata"]["resourceVersion"] == "5");
  CHECK(put["spec"]["replicas"] == 3);
  CHECK(requests[5].line() == "PUT /api/v1/namespaces/team HTTP/1.1");
}

TEST_CASE("apply with an unknown kind prints one error and changes nothing") {
  Home home;
  std::string file = (home.root / "foo.yaml").string();
  std::ofstream(file) << "apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\n---\n"
                         "apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n";
  CommandOutcome outcome = run({"apply", "-f", file});
  CHECK(outcome.exit_code == 1);
  CHECK(outcome.out.empty());
  CHECK(outcome.err == "error: resource mapping not found for name: \"x\" namespace: \"\" from \"" +
                           file + "\": no matches for kind \"Foo\" in version \"v1\"\n");
}

TEST_CASE("apply reports a server rejection and still applies the rest") {
  Home home;
  std::string file = (home.root / "two.yaml").string();
  std::ofstream(file) << "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\n---\n"
                         "apiVersion: v1\nkind: Service\nmetadata:\n  name: good\n";
  FakeServer server(
      home.socket(),
      {reply(404, status(404, "NotFound", "x")),
       reply(422, status(422, "Invalid", "Service \"bad\" is invalid: spec.ports: Required value")),
       reply(404, status(404, "NotFound", "x")), reply(201, "{}")});
  CommandOutcome outcome = run({"apply", "-f", file});
  CHECK(outcome.exit_code == 1);
  CHECK(outcome.err == "Error from server (Invalid): error when creating \"" + file +
                           "\": Service \"bad\" is invalid: spec.ports: Required value\n");
  CHECK(outcome.out == "service/good created\n");
}

TEST_CASE("get asks for the server's Table, prints kubectl's table, and NotFound as kubectl does") {
  Home home;
  json list = {{"kind", "PodList"},
               {"metadata", {{"resourceVersion", "9"}}},
               {"items", {watched_pod("3", true)}}};
  FakeServer server(home.socket(), {reply(200, list.dump()),
                                    reply(404, status(404, "NotFound", "pods \"x\" not found")),
                                    reply(200, R"({"kind":"PodList","metadata":{},"items":[]})")});
  CommandOutcome table = run({"get", "pods", "-l", "app=redis"});
  CHECK(table.exit_code == 0);
  CHECK(table.out.rfind("NAME      READY   STATUS    RESTARTS   AGE\nredis-0   0/0     Running   0",
                        0) == 0);
  CommandOutcome missing = run({"get", "pod", "x"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "Error from server (NotFound): pods \"x\" not found\n");
  CommandOutcome empty = run({"get", "po"}, "team");
  CHECK(empty.exit_code == 0);
  CHECK(empty.err == "No resources found in team namespace.\n");
  // A daemon that answers a plain list (not a Table) is printed from the objects, as here.
  auto requests = server.requests();
  CHECK(requests[0].line() ==
        "GET /api/v1/namespaces/default/pods?labelSelector=app%3Dredis&includeObject=None "
        "HTTP/1.1");
  CHECK_THAT(
      requests[0].head,
      Catch::Contains("Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
  CHECK(requests[2].line() == "GET /api/v1/namespaces/team/pods?includeObject=None HTTP/1.1");
}

TEST_CASE("get prints the rows of the server's Table, with NAMESPACE from their metadata") {
  Home home;
  json table = {{"kind", "Table"},
                {"apiVersion", "meta.k8s.io/v1"},
                {"metadata", {{"resourceVersion", "9"}}},
                {"columnDefinitions", json::array()},
                {"rows",
                 {{{"cells",
                    {"web-0", "1/1", "Running", "2 (5m ago)", "3h", "127.64.0.2", "c-node",
                     "<none>", "<none>"}},
                   {"object",
                    {{"kind", "PartialObjectMetadata"},
                     {"metadata", {{"name", "web-0"}, {"namespace", "db"}}}}}}}}};
  FakeServer server(home.socket(), {reply(200, table.dump()), reply(200, table.dump())});
  CommandOutcome plain = run({"get", "pods"});
  CHECK(plain.out ==
        "NAME    READY   STATUS    RESTARTS     AGE\n"
        "web-0   1/1     Running   2 (5m ago)   3h\n");
  CommandOutcome all = run({"get", "pods", "-A", "-o", "wide"});
  CHECK(all.out ==
        "NAMESPACE   NAME    READY   STATUS    RESTARTS     AGE   IP           NODE     "
        "NOMINATED NODE   READINESS GATES\n"
        "db          web-0   1/1     Running   2 (5m ago)   3h    127.64.0.2   c-node   <none>"
        "           <none>\n");
  CHECK(server.requests()[1].line() == "GET /api/v1/pods?includeObject=Metadata HTTP/1.1");
}

TEST_CASE("get -o name and -o yaml print references and objects") {
  Home home;
  FakeServer server(home.socket(), {reply(200, watched_pod("3", true).dump()),
                                    reply(200, watched_pod("3", true).dump())});
  CommandOutcome name = run({"get", "pod/redis-0", "-o", "name"});
  CHECK(name.out == "pod/redis-0\n");
  CommandOutcome yaml = run({"get", "pod", "redis-0", "-o", "yaml"});
  CHECK(yaml.out.rfind("apiVersion: v1\nkind: Pod\nmetadata:\n  name: redis-0\n", 0) == 0);
}

TEST_CASE("get -w prints the table and then a row per watch event") {
  Home home;
  json list = {{"kind", "PodList"},
               {"metadata", {{"resourceVersion", "9"}}},
               {"items", {watched_pod("3", true)}}};
  json event = {{"type", "MODIFIED"}, {"object", watched_pod("10", true)}};
  FakeServer server(home.socket(), {reply(200, list.dump()), chunked({event.dump() + "\n"})});
  CommandOutcome watched = run({"get", "pods", "-w"});
  CHECK(watched.exit_code == 0);
  CHECK(std::count(watched.out.begin(), watched.out.end(), '\n') == 3);
  CHECK(server.requests()[1].line() ==
        "GET /api/v1/namespaces/default/pods?watch=true&resourceVersion=9 HTTP/1.1");
}

TEST_CASE("wait watches from the object's version until the condition holds") {
  Home home;
  json not_ready = {{"type", "MODIFIED"}, {"object", watched_pod("8", false)}};
  json ready = {{"type", "MODIFIED"}, {"object", watched_pod("9", true)}};
  FakeServer server(home.socket(),
                    {reply(200, watched_pod("7", false).dump()),
                     chunked({not_ready.dump() + "\n", ready.dump() + "\n"}, false)});
  CommandOutcome outcome = run({"wait", "--for=condition=Ready", "pod/redis-0", "--timeout=10s"});
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.out == "pod/redis-0 condition met\n");
  CHECK(server.requests()[1].line().find("resourceVersion=7") != std::string::npos);
}

TEST_CASE("wait gives up at the timeout with kubectl's message") {
  Home home;
  FakeServer server(home.socket(),
                    {reply(200, watched_pod("7", false).dump()), chunked({"\n"}, false)});
  CommandOutcome outcome =
      run({"wait", "--for=condition=Ready", "pods/redis-0", "--timeout=300ms"});
  CHECK(outcome.exit_code == 1);
  CHECK(outcome.err == "error: timed out waiting for the condition on pods/redis-0\n");
}

TEST_CASE("delete passes grace period and cascade, and waits for the object to go") {
  Home home;
  json gone = {{"type", "DELETED"}, {"object", watched_pod("12", true)}};
  FakeServer server(home.socket(), {reply(200, watched_pod("11", true).dump()),
                                    reply(200, watched_pod("11", true).dump()),
                                    chunked({gone.dump() + "\n"}, false)});
  CommandOutcome outcome =
      run({"delete", "pod", "redis-0", "--grace-period=0", "--cascade=orphan"});
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.out == "pod \"redis-0\" deleted\n");
  auto requests = server.requests();
  CHECK(requests[0].line() ==
        "DELETE /api/v1/namespaces/default/pods/redis-0?gracePeriodSeconds=0&"
        "propagationPolicy=Orphan HTTP/1.1");
  CHECK(requests[2].line().find("watch=true") != std::string::npos);
}

TEST_CASE("delete --wait=false returns right after the request") {
  Home home;
  FakeServer server(home.socket(), {reply(200, R"({"metadata":{"uid":"s1"}})")});
  CommandOutcome outcome = run({"delete", "sts/redis", "--wait=false"});
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.out == "statefulset.apps \"redis\" deleted\n");
  CHECK(server.requests()[0].line() ==
        "DELETE /apis/apps/v1/namespaces/default/statefulsets/redis?propagationPolicy=Background "
        "HTTP/1.1");
}

TEST_CASE("scale sets spec.replicas through the scale subresource") {
  Home home;
  json scale = {{"kind", "Scale"},
                {"metadata", {{"name", "redis"}, {"resourceVersion", "4"}}},
                {"spec", {{"replicas", 3}}}};
  FakeServer server(home.socket(), {reply(200, scale.dump()), reply(200, scale.dump())});
  CommandOutcome outcome = run({"scale", "sts", "redis", "--replicas=5"});
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.out == "statefulset.apps/redis scaled\n");
  auto requests = server.requests();
  CHECK(requests[1].line() ==
        "PUT /apis/apps/v1/namespaces/default/statefulsets/redis/scale HTTP/1.1");
  CHECK(json::parse(requests[1].body)["spec"]["replicas"] == 5);
}

TEST_CASE("logs streams the container's log with kubectl's query parameters") {
  Home home;
  FakeServer server(home.socket(), {chunked({"line 1\nline", " 2\n"})});
  CommandOutcome outcome = run({"logs", "redis-0", "-c", "redis", "--tail", "10", "-f"});
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.out == "line 1\nline 2\n");
  CHECK(server.requests()[0].line() ==
        "GET /api/v1/namespaces/default/pods/redis-0/log?container=redis&follow=true&tailLines=10 "
        "HTTP/1.1");
}

TEST_CASE("commands say how to start an unreachable daemon") {
  Home home;
  CommandOutcome outcome = run({"get", "pods"});
  CHECK(outcome.exit_code == 1);
  CHECK(outcome.err.find("error: cannot reach the kinda daemon of cluster \"t\"") == 0);
  CHECK(outcome.err.find("Start it with `kinda up`") != std::string::npos);
}
