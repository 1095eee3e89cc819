#include "kubelet/prober/probe_port.hpp"

#include <string>

namespace kinda::kubelet {

int resolve_probe_port(const nlohmann::json& port, const nlohmann::json& container_ports) {
  if (port.is_number_integer()) return port.get<int>();
  if (!port.is_string()) return 0;
  auto name = port.get<std::string>();
  if (container_ports.is_array())
    for (const auto& p : container_ports)
      if (p.is_object() && p.value("name", "") == name) return p.value("containerPort", 0);
  try {
    return std::stoi(name);
  } catch (...) {
    return 0;
  }
}

}  // namespace kinda::kubelet
