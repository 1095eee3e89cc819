// The port a tcpSocket or httpGet handler targets: a number, or the name of one of the container's
// ports (a numeric string is taken as a number). Pure: no I/O.
#pragma once

#include <nlohmann/json.hpp>

namespace kinda::kubelet {

// 0 when the port names no container port and is no number.
int resolve_probe_port(const nlohmann::json& port, const nlohmann::json& container_ports);

}  // namespace kinda::kubelet
