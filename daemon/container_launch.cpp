#include "daemon/container_launch.hpp"

#include "api/object.hpp"

namespace kinda::daemon {
namespace {

using nlohmann::json;

std::string bracket_key(const std::string& field_path, const std::string& prefix) {
  // metadata.labels['app'] → app
  std::string rest = field_path.substr(prefix.size());
  if (rest.size() >= 4 && rest.front() == '[' && rest.back() == ']')
    return rest.substr(2, rest.size() - 4);
  return "";
}

std::variant<std::string, LaunchProblem> field_value(const json& pod, const std::string& path,
                                                     const LaunchContext& context) {
  if (path == "metadata.name") return api::name_of(pod);
  if (path == "metadata.namespace") return api::namespace_of(pod);
  if (path == "metadata.uid") return api::uid_of(pod);
  if (path == "status.podIP" || path == "status.podIPs") return context.pod_ip;
  if (path == "status.hostIP") return std::string("127.0.0.1");
  if (path == "spec.nodeName") return api::string_at(pod, "spec.nodeName");
  if (path == "spec.serviceAccountName")
    return api::string_at(pod, "spec.serviceAccountName", "default");
  if (path.rfind("metadata.labels", 0) == 0) {
    auto key = bracket_key(path, "metadata.labels");
    const auto* labels = api::find_path(pod, "metadata.labels");
    return labels && labels->contains(key) ? (*labels)[key].get<std::string>() : "";
  }
  if (path.rfind("metadata.annotations", 0) == 0) {
    auto key = bracket_key(path, "metadata.annotations");
    const auto* notes = api::find_path(pod, "metadata.annotations");
    return notes && notes->contains(key) ? (*notes)[key].get<std::string>() : "";
  }
  return LaunchProblem{"CreateContainerConfigError", "unsupported fieldRef \"" + path + "\""};
}

std::vector<std::string> strings(const json& list) {
  std::vector<std::string> out;
  if (list.is_array())
    for (const auto& s : list)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

}  // namespace

std::string expand_variables(const std::string& text,
                             const std::map<std::string, std::string>& defined) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] == '(') {
      auto close = text.find(')', i + 2);
      if (close != std::string::npos) {
        auto name = text.substr(i + 2, close - i - 2);
        if (auto it = defined.find(name); it != defined.end()) {
          out += it->second;
          i = close;
          continue;
        }
        out += text.substr(i, close - i + 1);
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::variant<ContainerLaunch, LaunchProblem> build_launch(const json& pod, const json& container,
                                                          const LaunchContext& context) {
  ContainerLaunch launch;
  std::map<std::string, std::string> defined;
  std::vector<std::string> order;
  auto define = [&](const std::string& k, const std::string& v) {
    if (!defined.count(k)) order.push_back(k);
    defined[k] = v;
  };
  define("PATH", context.host_path);
  define("HOSTNAME", api::name_of(pod));
  define("HOME", "/root");
  define("POD_NAME", api::name_of(pod));
  define("POD_NAMESPACE", api::namespace_of(pod));
  define("POD_IP", context.pod_ip);
  for (const auto& [k, v] : context.base_env) define(k, v);

  if (container.contains("env") && container["env"].is_array()) {
    for (const auto& e : container["env"]) {
      std::string name = e.value("name", "");
      if (e.contains("value")) {
        define(name, expand_variables(
                         e["value"].is_string() ? e["value"].get<std::string>() : e["value"].dump(),
                         defined));
      } else if (const auto* ref = api::find_path(e, "valueFrom.fieldRef.fieldPath")) {
        auto value = field_value(pod, ref->get<std::string>(), context);
        if (auto* problem = std::get_if<LaunchProblem>(&value)) return *problem;
        define(name, std::get<std::string>(value));
      } else if (e.contains("valueFrom")) {
        return LaunchProblem{
            "CreateContainerConfigError",
            "env " + name + ": only value and valueFrom.fieldRef are supported yet"};
      } else {
        define(name, "");
      }
    }
  }

  const std::string image = container.value("image", "");
  const ImageEntry* entry = context.config ? context.config->image(image) : nullptr;
  std::vector<std::string> command = strings(container.value("command", json()));
  std::vector<std::string> args = strings(container.value("args", json()));
  if (command.empty()) {
    if (!entry || entry->command.empty())
      return LaunchProblem{"ErrImageNotMapped",
                           "image \"" + image +
                               "\" is not mapped to a local program: add it under "
                               "\"images\" in " +
                               context.config_path + " or give the container a command"};
    command = entry->command;
    if (!container.contains("args")) args = entry->args;
  }
  for (auto& part : command) launch.argv.push_back(expand_variables(part, defined));
  for (auto& part : args) launch.argv.push_back(expand_variables(part, defined));
  launch.working_dir = container.value("workingDir", "");
  if (launch.working_dir.empty() && entry && !entry->working_dir.empty()) {
    launch.working_dir = entry->working_dir;
    launch.working_dir_from_image = true;
  }
  for (const auto& k : order) launch.env.push_back(k + "=" + defined[k]);
  return launch;
}

}  // namespace kinda::daemon
