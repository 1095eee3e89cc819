#include "kubelet/image_config.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;

bool legacy_default_entry(const std::string& name, const json& j) {
  static const json legacy = json::parse(R"({
    "redis": {"command": ["redis-server"], "args": ["--protected-mode", "no"],
              "workingDir": "/data"},
    "busybox": {"command": ["sh"]}, "alpine": {"command": ["sh"]},
    "debian": {"command": ["bash"]}, "ubuntu": {"command": ["bash"]},
    "etcd": {"command": ["etcd"]}, "nginx": {"command": ["nginx"], "args": ["-g", "daemon off;"]},
    "postgres": {"command": ["postgres"]}})");
  return legacy.contains(name) && legacy[name] == j;
}

std::vector<std::string> strings_at(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array())
    for (const auto& s : j[key])
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

std::string string_at(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

}  // namespace

ImageMap images_from_config(const json& images) {
  ImageMap out;
  if (!images.is_object()) return out;
  for (const auto& [name, j] : images.items()) {
    if (!j.is_object() || legacy_default_entry(name, j)) continue;
    ImageEntry e;
    e.entrypoint = strings_at(j, "command");
    e.cmd = strings_at(j, "args");
    e.working_dir = string_at(j, "workingDir");
    e.user = string_at(j, "user");
    out[name] = std::move(e);
  }
  return out;
}

json images_to_config(const ImageMap& images) {
  json out = json::object();
  for (const auto& [name, e] : images) {
    json j = {{"command", e.entrypoint}};
    if (!e.cmd.empty()) j["args"] = e.cmd;
    if (!e.working_dir.empty()) j["workingDir"] = e.working_dir;
    if (!e.user.empty()) j["user"] = e.user;
    out[name] = std::move(j);
  }
  return out;
}

}  // namespace kinda::kubelet
