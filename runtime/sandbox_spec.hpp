// What a pod's sandbox holder builds: hostname, resolver files and volume mounts. The daemon writes
// it as JSON into the pod's sandbox dir; the holder (`kinda sandbox <spec.json>`) reads it back.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/error.hpp"

namespace kinda::runtime {

struct BindMount {
  BindMount() = default;
  BindMount(std::string source_, std::string target_, bool read_only_ = false,
            std::string memory_volume_ = "")
      : source(std::move(source_)),
        target(std::move(target_)),
        read_only(read_only_),
        memory_volume(std::move(memory_volume_)) {}
  std::string source;  // directory (or file) on the host; with memory_volume, a path inside it
  std::string target;  // absolute path inside the pod; need not exist on the host
  bool read_only = false;
  std::string memory_volume;  // the name of one of SandboxSpec::memory_volumes ("" = the host's)
};

// An emptyDir with medium Memory: one tmpfs the holder mounts for the whole pod, so every
// container's mount of it (or of a subPath in it) shares the same files.
struct MemoryVolume {
  std::string name;
  long long size_bytes = 0;  // 0 = tmpfs's default (half of RAM), as without a sizeLimit
  unsigned mode = 0777;
  long long gid = -1;  // the pod's fsGroup, -1 = the holder's
};

struct SandboxSpec {
  std::string hostname;           // pod name
  std::string dir;                // the pod's sandbox dir on the host (pods/<ns>/<pod>/); exists
  std::string resolv_conf;        // host file bound over /etc/resolv.conf ("" = leave)
  std::string hosts;              // host file bound over /etc/hosts ("" = leave)
  std::vector<BindMount> mounts;  // volumes
  std::vector<MemoryVolume> memory_volumes;
};

// Written through a temporary file and rename, so a reader never sees half a spec.
Status write_sandbox_spec(const SandboxSpec& spec, const std::string& path);
// Also validates: hostname and dir set, every mount target absolute.
Result<SandboxSpec> read_sandbox_spec(const std::string& path);

}  // namespace kinda::runtime
