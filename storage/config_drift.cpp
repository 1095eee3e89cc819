#include "storage/config_drift.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kinda::storage {
namespace {

using nlohmann::json;

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Status record_started_config(const ClusterPaths& paths) {
  auto content = read_file(paths.config());
  if (!content) return Error::internal("cannot read " + paths.config().string());
  auto target = started_config(paths);
  auto temporary = target;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << *content;
    if (!out.flush()) return Error::internal("cannot write " + temporary.string());
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) return Error::internal("cannot write " + target.string() + ": " + ec.message());
  return Ok{};
}

std::vector<std::string> config_changes_since_start(const ClusterPaths& paths) {
  auto started_text = read_file(started_config(paths));
  if (!started_text) return {};
  auto now_text = read_file(paths.config());
  if (now_text == started_text) return {};
  auto started = json::parse(*started_text, nullptr, false);
  auto now = json::parse(now_text.value_or(""), nullptr, false);
  if (!now.is_object()) return {"(not valid JSON)"};
  if (!started.is_object()) return {};
  std::set<std::string> changed;
  for (const auto& [key, value] : now.items())
    if (!started.contains(key) || started[key] != value) changed.insert(key);
  for (const auto& [key, value] : started.items())
    if (!now.contains(key)) changed.insert(key);
  return {changed.begin(), changed.end()};
}

std::string config_drift_notice(const ClusterPaths& paths) {
  auto changed = config_changes_since_start(paths);
  if (changed.empty()) return "";
  std::string keys;
  for (const auto& key : changed) keys += (keys.empty() ? "" : ", ") + key;
  return paths.config().string() + " changed since the daemon started (" + keys +
         "); it is read only at start: run `kinda down` then `kinda up` to apply it";
}

}  // namespace kinda::storage
