#include "runtime/sandbox_spec.hpp"

#include <cerrno>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "runtime/syscall.hpp"

namespace kinda::runtime {
namespace {

nlohmann::json to_json(const SandboxSpec& spec) {
  nlohmann::json mounts = nlohmann::json::array();
  for (const auto& mount : spec.mounts) {
    nlohmann::json m = {
        {"source", mount.source}, {"target", mount.target}, {"readOnly", mount.read_only}};
    if (!mount.memory_volume.empty()) m["memoryVolume"] = mount.memory_volume;
    mounts.push_back(m);
  }
  nlohmann::json memory = nlohmann::json::array();
  for (const auto& volume : spec.memory_volumes) {
    memory.push_back({{"name", volume.name},
                      {"sizeBytes", volume.size_bytes},
                      {"mode", volume.mode},
                      {"gid", volume.gid}});
  }
  return {{"hostname", spec.hostname}, {"dir", spec.dir},  {"resolvConf", spec.resolv_conf},
          {"hosts", spec.hosts},       {"mounts", mounts}, {"memoryVolumes", memory}};
}

Result<SandboxSpec> from_json(const nlohmann::json& json) {
  SandboxSpec spec;
  spec.hostname = json.value("hostname", "");
  spec.dir = json.value("dir", "");
  spec.resolv_conf = json.value("resolvConf", "");
  spec.hosts = json.value("hosts", "");
  for (const auto& mount : json.value("mounts", nlohmann::json::array())) {
    spec.mounts.push_back({mount.value("source", ""), mount.value("target", ""),
                           mount.value("readOnly", false), mount.value("memoryVolume", "")});
  }
  for (const auto& volume : json.value("memoryVolumes", nlohmann::json::array())) {
    spec.memory_volumes.push_back({volume.value("name", ""), volume.value("sizeBytes", 0LL),
                                   volume.value("mode", 0777U), volume.value("gid", -1LL)});
  }
  if (spec.hostname.empty()) return Error::bad_request("sandbox spec: hostname is empty");
  if (spec.dir.empty()) return Error::bad_request("sandbox spec: dir is empty");
  for (const auto& mount : spec.mounts) {
    if (mount.source.empty() && mount.memory_volume.empty())
      return Error::bad_request("sandbox spec: a mount has no source");
    if (mount.source.find("..") != std::string::npos && !mount.memory_volume.empty())
      return Error::bad_request("sandbox spec: a memory volume's path leaves it");
    if (mount.target.empty() || mount.target[0] != '/') {
      return Error::bad_request("sandbox spec: mount target \"" + mount.target +
                                "\" is not an absolute path");
    }
  }
  return spec;
}

}  // namespace

Status write_sandbox_spec(const SandboxSpec& spec, const std::string& path) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << to_json(spec).dump(2) << '\n';
    if (!out.flush()) return Error::internal("cannot write \"" + temporary + "\"");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return errno_error("cannot rename \"" + temporary + "\" to \"" + path + "\"", errno);
  }
  return Ok{};
}

Result<SandboxSpec> read_sandbox_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::bad_request("cannot read sandbox spec \"" + path + "\"");
  try {
    return from_json(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& e) {
    return Error::bad_request("sandbox spec \"" + path + "\" is not valid: " + e.what());
  }
}

}  // namespace kinda::runtime
