// Credentials applied for real: a child spawned with them prints its /proc/self/status.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "runtime/process.hpp"
#include "runtime/syscall.hpp"

namespace {

using kinda::runtime::CapabilityMask;

// The status lines of a child started with `credentials`, "Uid" → "1000 1000 1000 1000" etc.
std::map<std::string, std::string> status_as(const kinda::runtime::Credentials& credentials) {
  kinda::runtime::ProcessSpec spec;
  spec.argv = {"cat", "/proc/self/status"};
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.credentials = credentials;
  auto pipe = kinda::runtime::make_pipe();
  REQUIRE(pipe);
  auto pid = kinda::runtime::spawn(spec, kinda::runtime::ChildFds{.output = pipe->write.get()});
  REQUIRE(pid);
  pipe->write.reset();
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe->read.get(), buffer, sizeof buffer)) > 0;)
    text.append(buffer, n);
  int status = 0;
  ::waitpid(*pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::map<std::string, std::string> fields;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    for (auto& ch : value)
      if (ch == '\t') ch = ' ';
    value.erase(value.find_last_not_of(' ') + 1);  // Groups ends with a space
    fields[line.substr(0, colon)] = value;
  }
  return fields;
}

std::string status_hex(CapabilityMask mask) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(mask));
  return text;
}

}  // namespace

TEST_CASE("a child takes its credentials' no_new_privs before exec") {
  kinda::runtime::Credentials c;
  c.no_new_privs = true;
  auto status = status_as(c);
  CHECK(status["NoNewPrivs"] == "1");
  CHECK(status["Uid"].rfind(std::to_string(::geteuid()) + " ", 0) == 0);
}

TEST_CASE("as root a child takes uid, gid, groups and a limited capability set before exec") {
  if (::geteuid() != 0) {
    WARN("not root: setuid, setgroups and the bounding set cannot be changed here");
    return;
  }
  kinda::runtime::Credentials root;
  root.set_ids = true;
  root.groups = {0, 2000};
  root.bounding = kinda::runtime::default_container_capabilities();
  auto as_root = status_as(root);
  CHECK(as_root["Uid"] == "0 0 0 0");
  CHECK(as_root["Groups"] == "0 2000");
  CHECK(as_root["CapBnd"] == status_hex(*root.bounding));
  CHECK(as_root["CapEff"] == status_hex(*root.bounding));
  CHECK(as_root["CapPrm"] == status_hex(*root.bounding));
  CHECK(as_root["CapInh"] == status_hex(0));
  CHECK(as_root["CapAmb"] == status_hex(0));
  CHECK(as_root["NoNewPrivs"] == "0");

  kinda::runtime::Credentials app = root;
  app.uid = 1000;
  app.gid = 3000;
  app.groups = {3000, 2000, 5000};
  auto as_app = status_as(app);
  CHECK(as_app["Uid"] == "1000 1000 1000 1000");
  CHECK(as_app["Gid"] == "3000 3000 3000 3000");
  CHECK(as_app["Groups"] == "2000 3000 5000");
  CHECK(as_app["CapBnd"] == status_hex(*root.bounding));
  CHECK(as_app["CapEff"] == status_hex(0));  // as on Kubernetes: a non-root uid execs with none
  CHECK(as_app["CapPrm"] == status_hex(0));
}
