#include "runtime/process_identity.hpp"

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/spdlog.h>

namespace kinda::runtime {

std::optional<uint64_t> process_start_time(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // The command name (field 2) may contain spaces and parentheses; fields after it are plain.
  size_t name_end = line.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(name_end + 1));
  std::string field;
  for (int index = 3; index <= 22; ++index) {
    if (!(fields >> field)) return std::nullopt;
  }
  uint64_t start_time = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), start_time);
  if (ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
  return start_time;
}

bool same_process(pid_t pid, uint64_t start_time) {
  auto current = process_start_time(pid);
  return current && *current == start_time;
}

void signal_group(pid_t pgid, int sig) {
  if (pgid <= 1) {
    spdlog::error("refusing to signal process group {}", pgid);
    return;
  }
  if (::kill(-pgid, sig) != 0 && errno != ESRCH) {
    spdlog::warn("cannot send signal {} to process group {}: {}", sig, pgid, std::strerror(errno));
  }
}

}  // namespace kinda::runtime
