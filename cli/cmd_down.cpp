// kinda down: asks the cluster's daemon to stop (it stops pods in reverse ordinal order, then
// exits) and waits until it is gone. Objects and volumes stay for the next `kinda up`, unless
// --purge asks to delete the whole cluster, data included.
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/cluster_commands.hpp"
#include "cli/orphan_shims.hpp"
#include "cli/session.hpp"
#include "runtime/cgroup.hpp"
#include "storage/cluster_home.hpp"
#include "storage/range_claims.hpp"

namespace kinda::cli {
namespace {

struct DownOptions {
  bool purge = false;
  std::string timeout = "10m";
};

// Waits for a process that is not our child to end.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;
  pollfd p{fd, POLLIN, 0};
  int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  ::close(fd);
  return ready == 1;
}

void run_down(const GlobalOptions& global, const DownOptions& options) {
  std::string name = storage::cluster_name(global.cluster);
  auto paths = storage::cluster_paths(name);
  if (!paths) fail("error: " + paths.error().message);
  auto timeout = parse_duration(options.timeout);
  if (!timeout) fail("error: " + timeout.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto status = session->client.get("/kinda/status");
  if (status) {
    pid_t pid = (*status)["pid"].get<pid_t>();
    std::cout << "Stopping cluster \"" << name << "\" (pods in reverse ordinal order)..."
              << std::endl;
    if (::kill(pid, SIGTERM) != 0 && errno != ESRCH)
      fail("error: cannot signal the daemon (pid " + std::to_string(pid) + ")");
    if (!wait_for_exit(pid, *timeout))
      fail("error: the daemon (pid " + std::to_string(pid) + ") did not stop within " +
           options.timeout);
    std::cout << "Cluster \"" << name << "\" stopped." << std::endl;
  } else if (!std::filesystem::exists(paths->root)) {
    fail("error: no cluster named \"" + name + "\" under " + storage::kinda_home().string());
  } else {
    std::cout << "Cluster \"" << name << "\" is not running." << std::endl;
    // Pods a crashed daemon left to their shims end now, as `down` promises.
    stop_orphaned_shims(*paths, *timeout);
  }
  if (options.purge) {
    // The cluster's cgroup tree; a no-op where none was made.
    if (runtime::cgroup_support().mode != runtime::CgroupSupport::None)
      (void)runtime::remove_cgroup("kinda-" + name);
    std::error_code ec;
    storage::release_range_claims(paths->root);
    std::filesystem::remove_all(paths->root, ec);
    if (ec) fail("error: cannot remove " + paths->root.string() + ": " + ec.message());
    std::cout << "Deleted cluster \"" << name << "\" and its data (" << paths->root.string() << ")."
              << std::endl;
  }
}

}  // namespace

void register_down(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<DownOptions>();
  auto* cmd = app.add_subcommand("down", "Stop the cluster's pods and daemon (state is kept)");
  cmd->add_flag("--purge", options->purge,
                "Also delete the cluster's state directory: objects, logs and all volume data");
  cmd->add_option("--timeout", options->timeout, "How long to wait for the daemon to stop");
  cmd->callback([&global, options] { run_down(global, *options); });
}

}  // namespace kinda::cli
