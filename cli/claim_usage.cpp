#include "cli/claim_usage.hpp"

#include <set>
#include <utility>

#include <sys/stat.h>

#include "api/object.hpp"

namespace kinda::cli {

namespace fs = std::filesystem;

std::optional<std::uint64_t> disk_usage(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) return std::nullopt;
  std::set<std::pair<dev_t, ino_t>> seen;
  std::uint64_t total = 0;
  auto count = [&](const fs::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) return false;
    if (seen.insert({info.st_dev, info.st_ino}).second)
      total += static_cast<std::uint64_t>(info.st_blocks) * 512;
    return true;
  };
  if (!count(dir)) return std::nullopt;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, error), end;
  if (error) return std::nullopt;
  for (; it != end; it.increment(error)) {
    if (error) return std::nullopt;
    count(it->path());
  }
  if (error) return std::nullopt;
  return total;
}

ClaimUsage claim_usage(const ApiClient& client, const std::vector<nlohmann::json>& claims,
                       const std::string& ns) {
  ClaimUsage usage;
  if (auto pods = client.get(api::find_resource("pods")->path(ns)))
    for (const auto& pod : pods->value("items", nlohmann::json::array())) usage.pods.push_back(pod);
  auto status = client.get("/kinda/status");
  std::string root = status ? status->value("root", "") : "";
  for (const auto& claim : claims) {
    std::string key = api::namespace_of(claim) + "/" + api::name_of(claim);
    usage.disk_bytes[key] = root.empty()
                                ? std::nullopt
                                : disk_usage(fs::path(root) / "volumes" / api::namespace_of(claim) /
                                             api::name_of(claim));
  }
  return usage;
}

}  // namespace kinda::cli
