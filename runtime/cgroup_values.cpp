#include "runtime/cgroup_values.hpp"

#include <algorithm>
#include <sstream>

namespace kinda::runtime {
namespace {

constexpr int64_t kMinCpuQuotaMicros = 1000;

}  // namespace

int64_t cpu_quota_micros(int64_t millicores) {
  return std::max(millicores * kCpuPeriodMicros / 1000, kMinCpuQuotaMicros);
}

std::string cpu_max_value(std::optional<int64_t> millicores) {
  const std::string quota = millicores ? std::to_string(cpu_quota_micros(*millicores)) : "max";
  return quota + " " + std::to_string(kCpuPeriodMicros);
}

std::string memory_max_value(std::optional<int64_t> bytes) {
  return bytes ? std::to_string(*bytes) : "max";
}

std::optional<uint64_t> keyed_value(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string name;
    uint64_t value = 0;
    if (fields >> name && name == key) {
      if (fields >> value) return value;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace kinda::runtime
