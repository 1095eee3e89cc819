// Whether the cluster's daemon is running: the pid in run/daemon.pid is alive and is a `kinda …
// daemon` process. A shim asks this only while no daemon is connected to it.
#pragma once

#include <string>

namespace kinda::shim {

bool daemon_alive(const std::string& pid_file);

}  // namespace kinda::shim
