#include "kubelet/container_launch.hpp"

#include <algorithm>

#include "api/base64.hpp"
#include "api/names.hpp"
#include "api/object.hpp"

namespace kinda::kubelet {
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

using Values = std::map<std::string, std::string>;

// The two kinds env can read from, with the words the kubelet uses for them in messages.
struct SourceKind {
  const char* plural;  // "configmaps": the lookup key
  const char* lower;   // "configmap": not-found messages and envFrom warnings
  const char* title;   // "ConfigMap": missing-key messages
  bool base64;         // Secret data is stored base64-encoded
};
constexpr SourceKind kConfigMap{"configmaps", "configmap", "ConfigMap", false};
constexpr SourceKind kSecret{"secrets", "secret", "Secret", true};

LaunchProblem config_error(std::string message) {
  return LaunchProblem{"CreateContainerConfigError", std::move(message)};
}

// The ConfigMaps and Secrets one container start reads, each fetched once, as the kubelet does.
class EnvSources {
 public:
  EnvSources(const json& pod, const LaunchContext& context)
      : namespace_(api::namespace_of(pod)), context_(context) {}

  // The object's string values (Secret data decoded); nullptr when the object does not exist.
  std::variant<const Values*, LaunchProblem> values(const SourceKind& kind,
                                                    const std::string& name) {
    std::string cache_key = std::string(kind.plural) + "/" + name;
    auto cached = cache_.find(cache_key);
    if (cached == cache_.end()) {
      auto object = context_.lookup ? context_.lookup(kind.plural, name) : std::nullopt;
      std::optional<Values> values;
      if (object) {
        auto decoded = decode(kind, name, *object);
        if (auto* problem = std::get_if<LaunchProblem>(&decoded)) return *problem;
        values = std::move(std::get<Values>(decoded));
      }
      cached = cache_.emplace(cache_key, std::move(values)).first;
    }
    return cached->second ? &*cached->second : nullptr;
  }

  std::string qualified(const std::string& name) const { return namespace_ + "/" + name; }

 private:
  std::variant<Values, LaunchProblem> decode(const SourceKind& kind, const std::string& name,
                                             const json& object) const {
    Values out;
    const json* data = api::find_path(object, "data");
    if (!data || !data->is_object()) return out;
    for (const auto& [key, value] : data->items()) {
      if (!value.is_string()) continue;
      if (!kind.base64) {
        out[key] = value.get<std::string>();
        continue;
      }
      auto bytes = api::base64_decode(value.get<std::string>());
      if (!bytes)
        return config_error(std::string(kind.lower) + " " + qualified(name) + ": data[" + key +
                            "]: " + bytes.error().message);
      out[key] = std::move(*bytes);
    }
    return out;
  }

  std::string namespace_;
  const LaunchContext& context_;
  std::map<std::string, std::optional<Values>> cache_;
};

bool optional_ref(const json& ref) {
  return ref.value("optional", json(false)) == true;
}

std::string not_found(const SourceKind& kind, const std::string& name) {
  return std::string(kind.lower) + " \"" + name + "\" not found";
}

// The environment in the kubelet's order: envFrom sources first, then env entries, each later
// definition replacing an earlier one but keeping its place.
class EnvBuilder {
 public:
  EnvBuilder(const json& pod, const LaunchContext& context)
      : pod_(pod), context_(context), sources_(pod, context) {}

  void define(const std::string& name, const std::string& value) {
    if (!values_.count(name)) order_.push_back(name);
    values_[name] = value;
    defined_[name] = value;
  }

  // A variable of the environment that $(VAR) references do not see (the image's ENV).
  void define_unexpanded(const std::string& name, const std::string& value) {
    if (!values_.count(name)) order_.push_back(name);
    values_[name] = value;
    defined_.erase(name);
  }

  std::optional<LaunchProblem> add_env_from(const json& list, std::vector<std::string>& warnings) {
    if (!list.is_array()) return std::nullopt;
    for (const auto& entry : list) {
      const json* ref = nullptr;
      const SourceKind* kind = nullptr;
      if (entry.contains("configMapRef"))
        ref = &entry["configMapRef"], kind = &kConfigMap;
      else if (entry.contains("secretRef"))
        ref = &entry["secretRef"], kind = &kSecret;
      else
        continue;
      std::string name = ref->value("name", "");
      auto found = sources_.values(*kind, name);
      if (auto* problem = std::get_if<LaunchProblem>(&found)) return *problem;
      const Values* values = std::get<const Values*>(found);
      if (!values) {
        if (optional_ref(*ref)) continue;
        return config_error(not_found(*kind, name));
      }
      std::string prefix = entry.value("prefix", "");
      std::vector<std::string> invalid;
      for (const auto& [key, value] : *values) {
        std::string var = prefix + key;
        if (!api::check_env_var_name(var).empty()) {
          invalid.push_back(var);
          continue;
        }
        define(var, value);
      }
      if (!invalid.empty()) warnings.push_back(skipped_keys_message(*kind, name, invalid));
    }
    return std::nullopt;
  }

  std::optional<LaunchProblem> add_env(const json& list) {
    if (!list.is_array()) return std::nullopt;
    for (const auto& e : list) {
      std::string name = e.value("name", "");
      std::string literal =
          e.contains("value") && e["value"].is_string() ? e["value"].get<std::string>() : "";
      if (!literal.empty() || !e.contains("valueFrom")) {
        define(name, expand_variables(literal, defined_));
        continue;
      }
      auto value = value_from(name, e["valueFrom"]);
      if (auto* problem = std::get_if<LaunchProblem>(&value)) return *problem;
      if (auto* v = std::get_if<std::string>(&value)) define(name, *v);
    }
    return std::nullopt;
  }

  const std::map<std::string, std::string>& defined() const { return defined_; }

  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& k : order_) out.push_back(k + "=" + values_.at(k));
    return out;
  }

 private:
  // The value of a valueFrom; monostate when an optional reference is missing, so the variable
  // stays undefined as in Kubernetes.
  std::variant<std::string, std::monostate, LaunchProblem> value_from(const std::string& name,
                                                                      const json& from) {
    if (const auto* path = api::find_path(from, "fieldRef.fieldPath")) {
      auto value = field_value(pod_, path->get<std::string>(), context_);
      if (auto* problem = std::get_if<LaunchProblem>(&value)) return *problem;
      return std::get<std::string>(value);
    }
    const json* ref = nullptr;
    const SourceKind* kind = nullptr;
    if (from.contains("configMapKeyRef"))
      ref = &from["configMapKeyRef"], kind = &kConfigMap;
    else if (from.contains("secretKeyRef"))
      ref = &from["secretKeyRef"], kind = &kSecret;
    else
      return config_error("env " + name +
                          ": kinda supports valueFrom fieldRef, configMapKeyRef "
                          "and secretKeyRef only");
    std::string object_name = ref->value("name", "");
    std::string key = ref->value("key", "");
    auto found = sources_.values(*kind, object_name);
    if (auto* problem = std::get_if<LaunchProblem>(&found)) return *problem;
    const Values* values = std::get<const Values*>(found);
    if (!values) {
      if (optional_ref(*ref)) return std::monostate{};
      return config_error(not_found(*kind, object_name));
    }
    auto it = values->find(key);
    if (it != values->end()) return it->second;
    if (optional_ref(*ref)) return std::monostate{};
    return config_error("couldn't find key " + key + " in " + kind->title + " " +
                        sources_.qualified(object_name));
  }

  std::string skipped_keys_message(const SourceKind& kind, const std::string& name,
                                   std::vector<std::string> keys) const {
    std::sort(keys.begin(), keys.end());
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    // The kubelet writes "configMap" here, unlike its not-found messages.
    std::string word = kind.base64 ? "secret" : "configMap";
    return "Keys [" + list + "] from the EnvFrom " + word + " " + sources_.qualified(name) +
           " were skipped since they are considered invalid environment variable names.";
  }

  const json& pod_;
  const LaunchContext& context_;
  EnvSources sources_;
  std::map<std::string, std::string> defined_;  // what $(VAR) references may name
  std::map<std::string, std::string> values_;   // the environment the container gets
  std::vector<std::string> order_;
};

std::vector<std::string> strings(const json& list) {
  std::vector<std::string> out;
  if (list.is_array())
    for (const auto& s : list)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

LaunchProblem not_mapped(const std::string& image, const LaunchContext& context) {
  std::string where;
  for (const auto& dir : context.profile_dirs) where += (where.empty() ? "" : " or ") + dir;
  return LaunchProblem{
      "ErrImageNotMapped",
      "image \"" + image + "\" has no image profile and is not mapped to a local program: " +
          (where.empty() ? ""
                         : "add a profile (<name>/profile.yaml, see images/README.md) under " +
                               where + ", ") +
          "map it under \"images\" in " + context.config_path + " or give the container a command"};
}

}  // namespace

std::string image_files_not_bound(const ContainerLaunch& launch) {
  std::string paths;
  for (const auto& f : launch.image_files) paths += (paths.empty() ? "" : ", ") + f.path;
  return "isolation none: pods share the host's filesystem, so the image's files are not "
         "bound into the pod and the container sees the host's paths instead: " +
         paths;
}

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
  EnvBuilder env(pod, context);
  env.define("PATH", context.host_path);
  env.define("HOSTNAME", api::name_of(pod));
  env.define("HOME", "/root");
  env.define("POD_NAME", api::name_of(pod));
  env.define("POD_NAMESPACE", api::namespace_of(pod));
  env.define("POD_IP", context.pod_ip);
  // The image's ENV, under everything the container says; like Docker's, it is not a source
  // for the container's $(VAR) references, which name only the container's own variables.
  const ImageEntry* image_entry =
      context.images ? find_image(*context.images, container.value("image", "")) : nullptr;
  if (image_entry)
    for (const auto& [k, v] : image_entry->env) env.define_unexpanded(k, v);
  for (const auto& [k, v] : context.base_env) env.define(k, v);
  if (auto problem = env.add_env_from(container.value("envFrom", json()), launch.warnings))
    return *problem;
  if (auto problem = env.add_env(container.value("env", json()))) return *problem;
  const auto& defined = env.defined();

  const std::string image = container.value("image", "");
  const ImageEntry* entry = context.images ? find_image(*context.images, image) : nullptr;
  std::vector<std::string> command = strings(container.value("command", json()));
  std::vector<std::string> args = strings(container.value("args", json()));
  // Kubernetes' rules: a command replaces the ENTRYPOINT and drops the CMD; args alone replace
  // the CMD after the ENTRYPOINT; neither runs ENTRYPOINT then CMD.
  if (command.empty()) {
    if (entry) {
      command = entry->entrypoint;
      if (args.empty()) args = entry->cmd;
    }
    if (command.empty() && args.empty()) return not_mapped(image, context);
  }
  for (auto& part : command) launch.argv.push_back(expand_variables(part, defined));
  for (auto& part : args) launch.argv.push_back(expand_variables(part, defined));
  launch.working_dir = container.value("workingDir", "");
  if (launch.working_dir.empty() && entry && !entry->working_dir.empty()) {
    launch.working_dir = entry->working_dir;
    launch.working_dir_from_image = true;
  }
  if (entry) launch.image_user = entry->user;
  if (entry) launch.image_files = entry->files;
  launch.env = env.entries();
  return launch;
}

}  // namespace kinda::kubelet
