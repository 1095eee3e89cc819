#include "storage/cluster_home.hpp"

#include <cstdlib>

#include "api/names.hpp"

namespace kinda::storage {

fs::path kinda_home() {
  if (const char* home = std::getenv("KINDA_HOME"); home && *home) return home;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return fs::path(xdg) / "kinda";
  const char* user_home = std::getenv("HOME");
  return fs::path(user_home && *user_home ? user_home : "/tmp") / ".local/state/kinda";
}

std::string cluster_name(const std::string& explicit_name) {
  if (!explicit_name.empty()) return explicit_name;
  if (const char* env = std::getenv("KINDA_CLUSTER"); env && *env) return env;
  return "default";
}

Result<ClusterPaths> cluster_paths(const std::string& name) {
  if (auto problem = api::check_dns1123_label(name))
    return Error::bad_request("invalid cluster name \"" + name + "\": " + *problem);
  return ClusterPaths{name, kinda_home() / name};
}

Status create_cluster_root(const ClusterPaths& paths) {
  std::error_code ec;
  fs::create_directories(paths.root, ec);
  if (!ec) fs::permissions(paths.root, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return Error::internal("cannot create " + paths.root.string() + ": " + ec.message());
  return Ok{};
}

}  // namespace kinda::storage
