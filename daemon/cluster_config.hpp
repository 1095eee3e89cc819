// A cluster's settings, kept in <cluster>/config.json: written once when the cluster is first
// started (so its pod address range and DNS address stay stable and never collide with another
// cluster's), then read on every start. Flags given to `kinda daemon` override it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/error.hpp"
#include "apiserver/transport/listen_address.hpp"
#include "daemon/dns_upstream.hpp"
#include "kubelet/kubelet_config.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::daemon {

struct ClusterConfig {
  std::string name;
  int pod_octet = 64;       // pods live in 127.<pod_octet>.0.0/16
  std::string dns_address;  // address:port the DNS server listens on
  std::string domain = "cluster.local";
  uint32_t dns_ttl = 5;      // config.json dns.ttl (the older dnsTTL still read)
  DnsUpstream dns_upstream;  // config.json dns.upstream: names outside the cluster domain
  double time_scale = 1.0;   // multiplies every kubelet/controller duration; 0.1 = ten times faster
  // config.json images: what each image name runs, before any image profile (empty for a new
  // cluster: profiles and kubelet::default_images() cover the common images).
  kubelet::ImageMap images;
  // Container logs rotate like the kubelet's (containerLogMaxSize / containerLogMaxFiles).
  int64_t container_log_max_bytes = 10 * 1024 * 1024;
  int container_log_max_files = 5;
  // "auto": the strongest isolation the machine allows; "none": pods as plain processes even
  // where namespaces would work (to try the mode non-root users get).
  std::string isolation = "auto";
  // How long a pod's shim waits for a vanished daemon before stopping its pod (× time scale).
  double shim_orphan_grace_seconds = 60;
  // The simulated nodes pods are scheduled onto; fixed when the cluster is first started.
  std::vector<std::string> nodes;
  // config.json api.listen: the loopback HTTPS listener for kubectl (bearer token); none unless
  // asked for, the Unix socket being the API's default.
  std::optional<apiserver::ListenAddress> api_listen;

  std::string pod_cidr() const { return "127." + std::to_string(pod_octet) + ".0.0/16"; }
  // The address pods use as their nameserver (always port 53, resolv.conf has no port).
  std::string dns_ip() const { return "127." + std::to_string(pod_octet) + ".0.1"; }
  std::string dns_host() const;
  uint16_t dns_port() const;
};

struct ConfigOverrides {
  std::optional<std::string> dns_listen;
  std::optional<std::string> dns_upstream;  // `--dns-upstream`: host, none or ADDR:PORT,…
  std::optional<double> time_scale;
  std::optional<int> node_count;  // `--nodes N`: used only when config.json names no nodes yet
  std::optional<std::string> api_listen;  // `--api-listen ADDR:PORT`, or "none" to turn it off
};

// Loads config.json, or creates it choosing a pod range no other cluster under $KINDA_HOME uses.
Result<ClusterConfig> load_or_create_config(const storage::ClusterPaths& paths,
                                            const ConfigOverrides& overrides);
// kind's naming for N nodes: "<cluster>-node", "<cluster>-node2", … "<cluster>-nodeN".
std::vector<std::string> default_node_names(const std::string& cluster, int count);
// The kubelet's share of the settings.
kubelet::KubeletConfig kubelet_config(const ClusterConfig& config);

}  // namespace kinda::daemon
