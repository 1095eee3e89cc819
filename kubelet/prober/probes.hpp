// One probe attempt (exec, tcpSocket or httpGet) run asynchronously against a pod: exec probes
// run inside the pod's namespaces with the container's environment; network probes connect to the
// pod's own loopback address, httpGet ones through libcurl (http_prober.hpp). The kubelet's
// scheduling of attempts lives in the pod manager.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>
#include <nlohmann/json.hpp>

#include "runtime/credentials.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::kubelet {

struct ProbeTarget {
  std::string pod_ip;
  pid_t sandbox_pid = 0;           // 0 when pods run without namespaces
  std::vector<std::string> env;    // the container's environment, for exec probes
  std::string working_dir;         // host path for exec probes without namespaces
  nlohmann::json container_ports;  // to resolve named ports
  std::string network_supervisor;  // the pod's net.sock, so exec handlers own the pod's address
  std::optional<runtime::Credentials> credentials{};  // exec handlers run as the container does
  pid_t mount_namespace_pid = 0;  // a container with a mount namespace of its own (read-only root)
};

using ProbeDone = std::function<void(bool success, std::string message)>;

void run_probe(boost::asio::io_context& io, const nlohmann::json& probe, const ProbeTarget& target,
               std::chrono::milliseconds timeout, ProbeDone done);

}  // namespace kinda::kubelet
