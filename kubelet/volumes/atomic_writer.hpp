// The kubelet's atomic writer for ConfigMap, Secret, downwardAPI and projected volumes: the files
// live in a timestamped directory `..YYYY_MM_DD_HH_MM_SS.N`, `..data` is a symlink to it, and every
// user-visible top-level entry is a symlink `name -> ..data/name`. An update writes a whole new
// timestamped directory, points `..data_tmp` at it and renames that over `..data`, so a reader
// sees the old set or the new one, never half of either; then stale entries and the old directory
// go. A payload equal to what is there already writes nothing.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>

#include "api/error.hpp"

namespace kinda::kubelet {

struct ProjectedFile {
  std::string content;
  mode_t mode = 0644;
};

// Relative path (no "..", no leading "/", may contain "/") → file.
using FileSet = std::map<std::string, ProjectedFile>;

// Called on the new timestamped directory after its files are written and before it is published,
// e.g. to give it the pod's fsGroup.
using BeforePublish = std::function<Status(const std::string& timestamped_dir)>;

// Writes `files` into `dir` (created when missing, mode 0777 like the kubelet's volume roots).
// Returns whether anything changed on disk.
Result<bool> write_atomically(const std::string& dir, const FileSet& files,
                              const BeforePublish& before_publish = {});

// The timestamped directory's name for a moment: "..2026_12_07_15_30_00." followed by `suffix`.
std::string timestamped_dir_name(long long epoch_seconds, unsigned suffix);

}  // namespace kinda::kubelet
