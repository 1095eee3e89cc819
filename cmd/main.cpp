// The kinda binary: the kubectl-like CLI, the cluster daemon (`kinda daemon`) and the pod sandbox
// holder (`kinda sandbox`) and the per-pod shim (`kinda shim`), both started by the daemon, in one
// executable.
#include <CLI/CLI.hpp>

#include "cli/cluster_commands.hpp"
#include "cli/commands.hpp"
#include "daemon/daemon.hpp"
#include "runtime/sandbox.hpp"
#include "shim/shim_main.hpp"
#include "storage/cluster_home.hpp"

int main(int argc, char** argv) {
  CLI::App app{"kinda: Kubernetes StatefulSet behaviour on one machine"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the subcommand, as with kubectl
  kinda::cli::GlobalOptions global;
  app.add_option("--cluster", global.cluster, "Cluster name (default \"default\")")
      ->envname("KINDA_CLUSTER");
  app.add_option("-n,--namespace", global.ns, "Namespace");
  app.add_flag("-A,--all-namespaces", global.all_namespaces, "Across all namespaces");

  kinda::daemon::DaemonOptions daemon_options;
  std::string dns_listen;
  std::string dns_upstream;
  double time_scale = 0;
  auto* daemon = app.add_subcommand("daemon", "Run the cluster's daemon in the foreground");
  daemon->add_option("--dns-listen", dns_listen, "DNS address ADDRESS:PORT")
      ->envname("KINDA_DNS_LISTEN");
  daemon
      ->add_option("--dns-upstream", dns_upstream,
                   "Where names outside the cluster domain go: host, none or ADDRESS:PORT,…")
      ->envname("KINDA_DNS_UPSTREAM");
  daemon->add_option("--time-scale", time_scale, "Multiply every kubelet and controller duration")
      ->envname("KINDA_TIME_SCALE");
  int node_count = 0;
  daemon->add_option("--nodes", node_count, "Nodes of a new cluster")->envname("KINDA_NODES");
  std::string api_listen;
  daemon
      ->add_option("--api-listen", api_listen,
                   "Also serve the API over HTTPS with a bearer token on this loopback "
                   "ADDRESS:PORT (port 0: any free port; none: stop); saved in config.json")
      ->envname("KINDA_API_LISTEN");
  int daemon_exit = 0;
  daemon->callback([&] {
    daemon_options.cluster = kinda::storage::cluster_name(global.cluster);
    if (!dns_listen.empty()) daemon_options.dns_listen = dns_listen;
    if (!dns_upstream.empty()) daemon_options.dns_upstream = dns_upstream;
    if (time_scale > 0) daemon_options.time_scale = time_scale;
    if (node_count != 0) daemon_options.node_count = node_count;
    if (!api_listen.empty()) daemon_options.api_listen = api_listen;
    daemon_exit = kinda::daemon::run_daemon(daemon_options);
  });

  std::string sandbox_spec;
  int sandbox_exit = 0;
  auto* sandbox = app.add_subcommand("sandbox", "");  // empty description: hidden from --help
  sandbox->add_option("spec", sandbox_spec)->required();
  sandbox->callback([&] { sandbox_exit = kinda::runtime::sandbox_main(sandbox_spec); });

  std::string shim_spec;
  int shim_exit = 0;
  auto* shim = app.add_subcommand("shim", "");  // hidden: started by the daemon, one per pod
  shim->add_option("spec", shim_spec)->required();
  shim->callback([&] { shim_exit = kinda::shim::shim_main(shim_spec); });

  kinda::cli::register_up(app, global);
  kinda::cli::register_down(app, global);
  kinda::cli::register_status(app, global);
  kinda::cli::register_commands(app, global);
  kinda::cli::register_exec(app, global);
  kinda::cli::register_kubeconfig(app, global);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (daemon->parsed()) return daemon_exit;
  if (sandbox->parsed()) return sandbox_exit;
  if (shim->parsed()) return shim_exit;
  return 0;
}
