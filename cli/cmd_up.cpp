// kinda up: starts the cluster's daemon in the background and returns once its API and DNS
// answer, or with the daemon's own error when it could not start.
#include <sys/wait.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/args.hpp"
#include "cli/cluster_commands.hpp"
#include "cli/dns_check.hpp"
#include "cli/session.hpp"
#include "runtime/process.hpp"
#include "storage/cluster_home.hpp"
#include "storage/config_drift.hpp"

namespace kinda::cli {
namespace {

struct UpOptions {
  std::string dns_listen;
  std::string dns_upstream;
  double time_scale = 0;
  int nodes = 0;
  std::string api_listen;
  std::string wait = "60s";
};

std::string tail_of(const std::filesystem::path& file, size_t lines) {
  std::ifstream in(file);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += all[i] + "\n";
  return out;
}

// Ready once the API answers and the DNS server answers a real query.
Result<nlohmann::json> cluster_ready(const ApiClient& client) {
  auto status = client.get("/kinda/status");
  if (!status) return status;
  std::string listen = status->value("dnsListen", "");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error::internal("daemon reported no DNS address");
  if (!dns_answers(listen.substr(0, colon), std::stoi(listen.substr(colon + 1)),
                   "dns-version." + status->value("clusterDomain", "cluster.local"),
                   std::chrono::milliseconds(300)))
    return Error::internal("DNS not answering yet");
  return status;
}

void run_up(const GlobalOptions& global, const UpOptions& options) {
  auto session = open_session(global);
  if (!session) fail(session.error());
  std::string name = storage::cluster_name(global.cluster);
  auto paths = storage::cluster_paths(name);
  if (auto running = cluster_ready(session->client)) {
    std::cout << "Cluster \"" << name << "\" is already running (pid " << (*running)["pid"]
              << ").\n";
    if (!options.api_listen.empty() && options.api_listen != running->value("apiListen", ""))
      std::cerr << "note: --api-listen applies when the daemon starts: `kinda down`, then `kinda "
                   "up --api-listen "
                << options.api_listen << "`\n";
    if (paths)
      if (auto notice = storage::config_drift_notice(*paths); !notice.empty())
        std::cerr << "note: " << notice << "\n";
    return;
  }
  auto wait = parse_duration(options.wait);
  if (!wait) fail("error: " + wait.error().message);
  if (auto created = storage::create_cluster_root(*paths); !created) fail(created.error());

  runtime::ProcessSpec spec;
  spec.argv = {runtime::self_exe(), "--cluster", name, "daemon"};
  if (!options.dns_listen.empty())
    spec.argv.insert(spec.argv.end(), {"--dns-listen", options.dns_listen});
  if (!options.dns_upstream.empty())
    spec.argv.insert(spec.argv.end(), {"--dns-upstream", options.dns_upstream});
  if (options.time_scale > 0) {
    std::ostringstream scale;
    scale << options.time_scale;
    spec.argv.insert(spec.argv.end(), {"--time-scale", scale.str()});
  }
  if (options.nodes > 0)
    spec.argv.insert(spec.argv.end(), {"--nodes", std::to_string(options.nodes)});
  if (!options.api_listen.empty())
    spec.argv.insert(spec.argv.end(), {"--api-listen", options.api_listen});
  spec.env = runtime::caller_environment();
  spec.log_path = paths->daemon_log().string();
  spec.working_dir = "/";
  auto pid = runtime::spawn(spec);
  if (!pid) fail("error: cannot start the daemon: " + pid.error().message);

  auto deadline = std::chrono::steady_clock::now() + *wait;
  auto pause = std::chrono::milliseconds(20);
  while (true) {
    int status = 0;
    if (::waitpid(*pid, &status, WNOHANG) == *pid)
      fail("error: the daemon of cluster \"" + name + "\" exited during start-up:\n" +
           tail_of(paths->daemon_log(), 10));
    if (auto ready = cluster_ready(session->client)) {
      std::cout << "Cluster \"" << name << "\" is up.\n"
                << "  API:       " << paths->api_socket().string() << "\n"
                << "  DNS:       " << (*ready)["dnsListen"].get<std::string>() << "\n"
                << "  Pods:      " << (*ready)["podCIDR"].get<std::string>()
                << " (isolation: " << (*ready)["isolation"].get<std::string>() << ")\n";
      if (auto https = ready->value("apiListen", ""); !https.empty())
        std::cout << "  HTTPS API: https://" << https << " (kinda kubeconfig)\n";
      return;
    }
    if (std::chrono::steady_clock::now() > deadline)
      fail("error: the daemon did not answer within " + options.wait + "; see " +
           paths->daemon_log().string());
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
  }
}

}  // namespace

void register_up(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<UpOptions>();
  auto* cmd = app.add_subcommand("up", "Start the cluster's daemon in the background");
  cmd->add_option("--dns-listen", options->dns_listen, "DNS address ADDRESS:PORT")
      ->envname("KINDA_DNS_LISTEN");
  cmd->add_option("--dns-upstream", options->dns_upstream,
                  "Where names outside the cluster domain go: host (the host's resolv.conf), none "
                  "(REFUSED) or ADDRESS:PORT,…; saved in config.json")
      ->envname("KINDA_DNS_UPSTREAM");
  cmd->add_option("--time-scale", options->time_scale,
                  "Multiply every kubelet and controller duration (0.1 = ten times faster)")
      ->envname("KINDA_TIME_SCALE");
  cmd->add_option("--nodes", options->nodes,
                  "Nodes of a new cluster, named <cluster>-node, <cluster>-node2, … (an existing "
                  "cluster keeps its nodes)")
      ->check(CLI::Range(1, 100))
      ->envname("KINDA_NODES");
  cmd->add_option("--api-listen", options->api_listen,
                  "Also serve the API over HTTPS with a bearer token on this loopback ADDRESS:PORT "
                  "(127.0.0.1:0 picks a free port; none turns it off), for kubectl and client "
                  "libraries (see `kinda kubeconfig`); saved in config.json")
      ->envname("KINDA_API_LISTEN");
  cmd->add_option("--wait", options->wait, "How long to wait for the cluster to answer");
  cmd->callback([&global, options] { run_up(global, *options); });
}

}  // namespace kinda::cli
