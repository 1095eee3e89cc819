#include "shim/shim_spec.hpp"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace kinda::shim {

using nlohmann::json;

Status write_shim_spec(const ShimSpec& spec) {
  json j = {{"key", spec.key},
            {"uid", spec.uid},
            {"podDir", spec.pod_dir},
            {"clusterRoot", spec.cluster_root},
            {"daemonPidFile", spec.daemon_pid_file},
            {"sandboxSpec", spec.sandbox_spec},
            {"selfExe", spec.self_exe},
            {"orphanGraceMs", spec.orphan_grace_ms},
            {"stopGraceMs", spec.stop_grace_ms},
            {"logMaxBytes", spec.log_max_bytes},
            {"logMaxFiles", spec.log_max_files},
            {"cgroupParent", spec.cgroup_parent},
            {"podIP", spec.pod_ip}};
  const auto path = spec.spec_path();
  const auto temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out) return Error::internal("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    return Error::internal("cannot rename " + temp + " to " + path);
  return Ok{};
}

Result<ShimSpec> read_shim_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::bad_request("shim spec " + path + " cannot be read");
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error::bad_request(path + " is not valid JSON");
  ShimSpec spec;
  spec.key = j.value("key", "");
  spec.uid = j.value("uid", "");
  spec.pod_dir = j.value("podDir", "");
  spec.cluster_root = j.value("clusterRoot", "");
  spec.daemon_pid_file = j.value("daemonPidFile", "");
  spec.sandbox_spec = j.value("sandboxSpec", "");
  spec.self_exe = j.value("selfExe", "");
  spec.orphan_grace_ms = j.value("orphanGraceMs", spec.orphan_grace_ms);
  spec.stop_grace_ms = j.value("stopGraceMs", spec.stop_grace_ms);
  spec.log_max_bytes = j.value("logMaxBytes", spec.log_max_bytes);
  spec.log_max_files = j.value("logMaxFiles", spec.log_max_files);
  spec.cgroup_parent = j.value("cgroupParent", "");
  spec.pod_ip = j.value("podIP", "");
  if (spec.key.empty() || spec.pod_dir.empty() || spec.cluster_root.empty())
    return Error::bad_request(path + ": key, podDir and clusterRoot are required");
  if (spec.log_max_files < 1) spec.log_max_files = 1;
  return spec;
}

}  // namespace kinda::shim
