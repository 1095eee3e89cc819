// What a pod's sandbox holder builds: hostname, resolver files and volume mounts. The daemon writes
// it as JSON into the pod's sandbox dir; the holder (`kinda sandbox <spec.json>`) reads it back.
#pragma once

#include <string>
#include <vector>

#include "api/error.hpp"

namespace kinda::runtime {

struct BindMount {
  std::string source;  // directory (or file) on the host
  std::string target;  // absolute path inside the pod; need not exist on the host
  bool read_only = false;
};

struct SandboxSpec {
  std::string hostname;           // pod name
  std::string dir;                // the pod's sandbox dir on the host (pods/<ns>/<pod>/); exists
  std::string resolv_conf;        // host file bound over /etc/resolv.conf ("" = leave)
  std::string hosts;              // host file bound over /etc/hosts ("" = leave)
  std::vector<BindMount> mounts;  // volumes
};

// Written through a temporary file and rename, so a reader never sees half a spec.
Status write_sandbox_spec(const SandboxSpec& spec, const std::string& path);
// Also validates: hostname and dir set, every mount target absolute.
Result<SandboxSpec> read_sandbox_spec(const std::string& path);

}  // namespace kinda::runtime
