// What the kubelet needs to know of its cluster, as the real kubelet reads a KubeletConfiguration:
// the daemon fills it from config.json (daemon/cluster_config.hpp), so the kubelet depends on no
// part of the daemon.
#pragma once

#include <cstdint>
#include <string>

#include "kubelet/image_map.hpp"

namespace kinda::kubelet {

struct KubeletConfig {
  double time_scale = 1.0;  // multiplies every kubelet duration; 0.1 = ten times faster
  int pod_octet = 64;       // pod addresses are 127.<pod_octet>.X.Y
  std::string dns_ip;       // the nameserver in pods' resolv.conf (port 53)
  std::string domain = "cluster.local";
  ImageMap images;
  // Container logs rotate like the kubelet's (containerLogMaxSize / containerLogMaxFiles).
  int64_t container_log_max_bytes = 10 * 1024 * 1024;
  int container_log_max_files = 5;
  // How long a pod's shim waits for a vanished daemon before stopping its pod (× time scale).
  double shim_orphan_grace_seconds = 60;
};

}  // namespace kinda::kubelet
