#include "shim/daemon_liveness.hpp"

#include <signal.h>

#include <fstream>
#include <string>

namespace kinda::shim {

bool daemon_alive(const std::string& pid_file) {
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return false;
  // A recycled pid belongs to some other program: check it is a kinda daemon.
  std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string arg;
  while (std::getline(cmdline, arg, '\0'))
    if (arg == "daemon") return true;
  return false;
}

}  // namespace kinda::shim
