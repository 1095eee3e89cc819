// How limits and counters are spelled in cgroup files, for v2 and v1. Pure, so the arithmetic and
// parsing are tested without a cgroup filesystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kinda::runtime {

// The CFS period the kubelet uses; quotas are expressed against it.
constexpr int64_t kCpuPeriodMicros = 100000;

// Microseconds of CPU per period for a limit in millicores, never below the kernel's 1 ms minimum
// (as the kubelet does): 250m → 25000.
int64_t cpu_quota_micros(int64_t millicores);

// v2 cpu.max: "<quota> <period>", or "max <period>" without a limit.
std::string cpu_max_value(std::optional<int64_t> millicores);

// v2 memory.max / memory.swap.max: bytes, or "max".
std::string memory_max_value(std::optional<int64_t> bytes);

// The value of `key` in a flat keyed file ("key value" per line), such as v2 memory.events or v1
// memory.oom_control; nullopt when the key is absent (older kernels) or not a number.
std::optional<uint64_t> keyed_value(const std::string& text, const std::string& key);

}  // namespace kinda::runtime
