// kinda status: whether the cluster's daemon runs, and where its API, DNS and pods live.
#include <iostream>

#include "cli/cluster_commands.hpp"
#include "cli/session.hpp"
#include "storage/cluster_home.hpp"
#include "storage/config_drift.hpp"

namespace kinda::cli {
namespace {

void run_status(const GlobalOptions& global) {
  std::string name = storage::cluster_name(global.cluster);
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto status = session->client.get("/kinda/status");
  if (!status) {
    std::cout << "Cluster \"" << name << "\": not running (start it with `kinda up`)" << std::endl;
    exit_failure();
  }
  auto& s = *status;
  auto pod_dns = s.value("podDNS", "");
  std::cout << "Cluster:        " << name << " (running, pid " << s["pid"] << ")\n"
            << "State:          " << s.value("root", "") << "\n"
            << "API:            " << session->client.socket_path() << "\n"
            << "HTTPS API:      "
            << (s.value("apiListen", "").empty()
                    ? "off (kinda up --api-listen 127.0.0.1:0)"
                    : "https://" + s.value("apiListen", "") + " (kinda kubeconfig)")
            << "\n"
            << "DNS:            " << s.value("dnsListen", "") << "\n"
            << "Pod resolver:   "
            << (pod_dns.empty() ? "unavailable (port 53 not bindable)" : pod_dns) << "\n"
            << "Pod addresses:  " << s.value("podCIDR", "") << "\n"
            << "Cluster domain: " << s.value("clusterDomain", "") << "\n"
            << "Isolation:      " << s.value("isolationDetail", s.value("isolation", "")) << "\n"
            << "Cgroup limits:  " << s.value("cgroups", "unknown") << "\n"
            << "Time scale:     " << s["timeScale"] << "\n"
            << "Running pods:   " << s["runningPods"] << "\n";
  if (auto paths = storage::cluster_paths(name))
    if (auto notice = storage::config_drift_notice(*paths); !notice.empty())
      std::cout << "Config:         " << notice << "\n";
}

}  // namespace

void register_status(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("status", "Show whether the cluster runs and how to reach it");
  cmd->callback([&global] { run_status(global); });
}

}  // namespace kinda::cli
