// Whether config.json changed after the daemon read it. The daemon reads config.json only when it
// starts (the image map, DNS settings, time scale ...), so an edit made while it runs does nothing
// until the next start; `kinda up` and `kinda status` say so instead of leaving the user to guess.
#pragma once

#include <string>
#include <vector>

#include "api/error.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::storage {

// The copy of config.json as the running daemon applied it (written after the daemon holds the
// cluster's lock, so a second daemon that fails to start never replaces it).
inline fs::path started_config(const ClusterPaths& paths) {
  return paths.run() / "config.started.json";
}

// Records config.json as the daemon applied it, through a temporary file and rename.
Status record_started_config(const ClusterPaths& paths);

// The top-level keys of config.json that differ from what the running daemon applied (added,
// removed or changed), sorted; empty when nothing changed or no record exists. A config.json that
// no longer parses is reported as the single entry "(not valid JSON)".
std::vector<std::string> config_changes_since_start(const ClusterPaths& paths);

// One line for the CLI, "" when nothing changed: which keys changed and how to apply them.
std::string config_drift_notice(const ClusterPaths& paths);

}  // namespace kinda::storage
