// Kubernetes resource quantities ("500m", "1.5", "128Mi", "1e3", "2G"), as container resources
// write them, turned into the whole units cgroups take. Values may come as JSON strings or numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kinda::api {

// The quantity's text: strings as written, JSON numbers as printed; nullopt for other JSON types.
std::optional<std::string> quantity_text(const nlohmann::json& value);

// Bytes, rounded up to a whole byte ("1Ki" → 1024, "1k" → 1000, "0.5" → 1). nullopt when the text
// is not a quantity, is negative, or does not fit in 63 bits.
std::optional<int64_t> memory_bytes(const std::string& quantity);
std::optional<int64_t> memory_bytes(const nlohmann::json& quantity);
inline std::optional<int64_t> memory_bytes(const char* quantity) {
  return memory_bytes(std::string(quantity));
}
// Millicores, rounded up to a whole millicore ("500m" → 500, "1" → 1000, "0.25" → 250), with the
// same nullopt cases.
std::optional<int64_t> cpu_millicores(const std::string& quantity);
std::optional<int64_t> cpu_millicores(const nlohmann::json& quantity);
inline std::optional<int64_t> cpu_millicores(const char* quantity) {
  return cpu_millicores(std::string(quantity));
}

// Why a container resource value is refused, in the API server's words; nullopt when it is a
// non-negative quantity.
std::optional<std::string> check_resource_quantity(const nlohmann::json& value);

}  // namespace kinda::api
