// The pod network end to end in one process: real children under the seccomp filter, their
// listener handed over a real net.sock to a NetSupervisor, real sockets bound and connected.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "runtime/net_supervisor.hpp"
#include "runtime/process.hpp"
#include "tests/unit/support/runtime_test_support.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;

namespace {

// A pod address no cluster of the test machine hands out (ranges are 127.64–127.127).
const std::string kNetPodIp = "127.203.0.5";

struct SupervisedChild {
  pid_t pid = 0;
  UniqueFd input, output;
};

SupervisedChild start_supervised(const std::string& script, const std::string& socket_path) {
  auto in = make_pipe();
  auto out = make_pipe();
  REQUIRE(in.ok());
  REQUIRE(out.ok());
  ProcessSpec spec;
  spec.argv = {"python3", "-c", script};
  spec.env = test_env();
  spec.network_supervisor = socket_path;
  auto pid = spawn(spec, ChildFds{.output = out->write.get(), .input = in->read.get()});
  REQUIRE(pid.ok());
  return {*pid, std::move(in->write), std::move(out->read)};
}

std::string output_of(SupervisedChild& child) {
  child.input.reset();
  std::string text;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(child.output.get(), buffer, sizeof buffer)) > 0) text.append(buffer, n);
  reap(child.pid);
  return text;
}

const char* kBindScript = R"(import socket, sys
s = socket.socket()
s.bind(("0.0.0.0", 0))
s.listen(1)
c = socket.create_connection(("127.0.0.1", s.getsockname()[1]))
print(s.getsockname()[0], c.getsockname()[0], c.getpeername()[0])
)";

}  // namespace

TEST_CASE("a supervised child's wildcard bind, localhost connect and source are the pod's IP") {
  TempDir dir;
  auto supervisor = NetSupervisor::create(kNetPodIp);
  REQUIRE(supervisor.ok());
  REQUIRE((*supervisor)->listen(dir / "net.sock").ok());
  (*supervisor)->start();
  auto child = start_supervised(kBindScript, dir / "net.sock");
  CHECK(output_of(child) == kNetPodIp + " " + kNetPodIp + " " + kNetPodIp + "\n");
}

TEST_CASE("without its supervisor a child's socket calls fail (ENOSYS): the network fails closed") {
  TempDir dir;
  auto supervisor = NetSupervisor::create(kNetPodIp);
  REQUIRE(supervisor.ok());
  REQUIRE((*supervisor)->listen(dir / "net.sock").ok());
  (*supervisor)->start();
  auto child = start_supervised(R"(import errno, socket, sys
sys.stdin.read()
try:
    socket.socket().bind(("0.0.0.0", 0))
    print("bound")
except OSError as e:
    print(errno.errorcode[e.errno])
)",
                                dir / "net.sock");
  supervisor->reset();  // the shim is gone: its listeners close
  CHECK(output_of(child) == "ENOSYS\n");
}

TEST_CASE("a child whose listener cannot be handed over never runs") {
  TempDir dir;
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "touch ran"};
  spec.env = test_env();
  spec.working_dir = dir.path();
  spec.network_supervisor = dir / "no-such.sock";
  auto pid = spawn(spec);
  REQUIRE_FALSE(pid.ok());
  CHECK(pid.error().message.find("network supervisor") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "ran"));
}
