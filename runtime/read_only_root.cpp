#include "runtime/read_only_root.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "runtime/mountinfo_field.hpp"

namespace kinda::runtime {
namespace {

bool at_or_below(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

}  // namespace

std::vector<std::string> read_only_root_mounts(const std::string& mountinfo,
                                               const std::vector<std::string>& writable) {
  std::vector<std::string> kept = writable;
  for (const char* kernel : {"/proc", "/sys", "/dev"}) kept.emplace_back(kernel);
  std::vector<std::string> mounts;
  std::set<std::string> seen;
  std::istringstream lines(mountinfo);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    if (!(fields >> id >> parent >> device >> root >> point)) continue;
    point = unescape_mountinfo_field(point);
    bool stays = std::any_of(kept.begin(), kept.end(),
                             [&](const std::string& dir) { return at_or_below(point, dir); });
    if (stays || !seen.insert(point).second) continue;
    mounts.push_back(point);
  }
  return mounts;
}

Result<std::vector<std::string>> read_only_root_mounts_of(
    pid_t holder, const std::vector<std::string>& writable) {
  const std::string path = "/proc/" + std::to_string(holder) + "/mountinfo";
  std::ifstream in(path);
  if (!in) return Error::internal("readOnlyRootFilesystem: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return read_only_root_mounts(text.str(), writable);
}

}  // namespace kinda::runtime
