// `kinda daemon`: one process per cluster that owns its store, API socket, DNS server,
// controllers and pods, on one single-threaded event loop. Returns the process exit code.
#pragma once

#include <optional>
#include <string>

namespace kinda::daemon {

struct DaemonOptions {
  std::string cluster;                      // resolved cluster name
  std::optional<std::string> dns_listen;    // ADDRESS:PORT
  std::optional<std::string> dns_upstream;  // host, none or ADDRESS:PORT,…
  std::optional<double> time_scale;
  std::optional<int> node_count;          // --nodes: how many nodes a new cluster declares
  std::optional<std::string> api_listen;  // --api-listen: loopback ADDRESS:PORT for HTTPS, or none
};

int run_daemon(const DaemonOptions& options);

}  // namespace kinda::daemon
