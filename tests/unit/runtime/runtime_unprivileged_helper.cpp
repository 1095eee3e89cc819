// Plays an unprivileged user running kinda, for the runtime tests (which run as root):
//   --as=<uid>:<gid> <mode> …   drops to those ids, then runs <mode> …
//   sandbox <spec.json>         the body of `kinda sandbox`
//   join <holder pid> <argv…>   runs argv in the holder's namespaces, like `kinda exec`
//   probe                       prints to_string(probe_isolation())
#include <grp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/isolation.hpp"
#include "runtime/process.hpp"
#include "runtime/sandbox.hpp"

namespace {

int usage(const char* self) {
  std::fprintf(stderr,
               "usage: %s [--as=<uid>:<gid>] sandbox <spec.json> | join <pid> <argv...> | probe\n",
               self);
  return 2;
}

// A process that changed its ids is not dumpable, so other processes of the same user could not
// open its /proc/<pid>/ns files; exec-ing afresh makes it like any process the user started.
int become(const std::string& ids, char** rest) {
  const size_t colon = ids.find(':');
  if (colon == std::string::npos) return 2;
  const uid_t uid = std::stoul(ids.substr(0, colon));
  const gid_t gid = std::stoul(ids.substr(colon + 1));
  if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) {
    std::perror("drop privileges");
    return 126;
  }
  ::execv("/proc/self/exe", rest);
  std::perror("exec");
  return 126;
}

int join(pid_t holder, std::vector<std::string> argv) {
  kinda::runtime::ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.join_namespaces_of = holder;
  spec.new_session = false;
  auto code = kinda::runtime::run_foreground(spec);
  if (!code) {
    std::fprintf(stderr, "%s\n", code.error().message.c_str());
    return 125;
  }
  return *code;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(argv[0]);
  const std::string_view mode = argv[1];
  if (mode.rfind("--as=", 0) == 0 && argc > 2) {
    argv[1] = argv[0];  // the new image's argv[0]
    return become(std::string(mode.substr(5)), argv + 1);
  }
  if (mode == "sandbox" && argc == 3) return kinda::runtime::sandbox_main(argv[2]);
  if (mode == "join" && argc > 3) {
    return join(std::atoi(argv[2]), std::vector<std::string>(argv + 3, argv + argc));
  }
  if (mode == "probe" && argc == 2) {
    std::printf("%s\n", kinda::runtime::to_string(kinda::runtime::probe_isolation()).c_str());
    return 0;
  }
  return usage(argv[0]);
}
