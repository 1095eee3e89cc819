// What kinda's claims table adds to kubectl's: the pods that use each claim and the disk space its
// data takes. Claim data lives on this machine under the cluster's state directory
// (<root>/volumes/<namespace>/<claim>/, root from GET /kinda/status), so the CLI measures it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/api_client.hpp"
#include "cli/printers/printers.hpp"

namespace kinda::cli {

// Bytes of disk the tree under `dir` occupies (as du counts: allocated blocks, each inode once,
// symlinks not followed); nullopt when the directory is missing or cannot be read.
std::optional<std::uint64_t> disk_usage(const std::filesystem::path& dir);

// The pods of `ns` ("" for all namespaces) and the disk usage of each of `claims`.
ClaimUsage claim_usage(const ApiClient& client, const std::vector<nlohmann::json>& claims,
                       const std::string& ns);

}  // namespace kinda::cli
