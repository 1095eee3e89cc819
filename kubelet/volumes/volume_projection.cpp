#include "kubelet/volumes/volume_projection.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "api/base64.hpp"
#include "api/object.hpp"
#include "api/quantity.hpp"

namespace kinda::kubelet {
namespace {

using nlohmann::json;
using Outcome = std::variant<FileSet, MountProblem>;

constexpr mode_t kDefaultMode = 0644;
constexpr const char* kIssuer = "https://kubernetes.default.svc.cluster.local";

// A field of an object when it has the right type, so a hand-written spec never throws.
std::string volume_text_of(const json& object, const char* key, const std::string& otherwise = "") {
  auto it = object.is_object() ? object.find(key) : object.end();
  return it != object.end() && it->is_string() ? it->get<std::string>() : otherwise;
}

bool volume_flag_of(const json& object, const char* key) {
  auto it = object.is_object() ? object.find(key) : object.end();
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

mode_t volume_mode_of(const json& object, const char* key, mode_t otherwise) {
  auto it = object.is_object() ? object.find(key) : object.end();
  if (it == object.end() || !it->is_number_integer()) return otherwise;
  return static_cast<mode_t>(it->get<long long>() & 07777);
}

const json& volume_list_of(const json& object, const char* key) {
  static const json kEmpty = json::array();
  auto it = object.is_object() ? object.find(key) : object.end();
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

// The two kinds of keyed sources, with the kubelet's words for what is missing.
struct VolumeKeyedKind {
  const char* plural;
  const char* lower;        // `configmap "x" not found`
  const char* missing_key;  // "... non-existent config key: K"
  bool base64;              // Secret data is stored base64-encoded
};
constexpr VolumeKeyedKind kConfigMapVolume{"configmaps", "configmap",
                                           "configmap references non-existent config key: ", false};
constexpr VolumeKeyedKind kSecretVolume{"secrets", "secret",
                                        "references non-existent secret key: ", true};

// The object's keys and their bytes: data (and a ConfigMap's binaryData, base64 like all of a
// Secret's data).
std::map<std::string, std::string> keyed_values(const json& object, const VolumeKeyedKind& kind) {
  std::map<std::string, std::string> values;
  auto add = [&](const char* field, bool base64) {
    auto it = object.find(field);
    if (it == object.end() || !it->is_object()) return;
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) continue;
      if (!base64) {
        values[key] = value.get<std::string>();
      } else if (auto decoded = api::base64_decode(value.get<std::string>())) {
        values[key] = *decoded;
      }
    }
  };
  add("data", kind.base64);
  if (!kind.base64) add("binaryData", true);
  return values;
}

std::optional<MountProblem> add_keyed(FileSet& files, const json& source,
                                      const VolumeKeyedKind& kind, const char* name_field,
                                      mode_t default_mode, const ProjectionContext& context) {
  const std::string name = volume_text_of(source, name_field);
  const bool optional = volume_flag_of(source, "optional");
  std::optional<json> object;
  if (context.lookup) object = context.lookup(kind.plural, name);
  if (!object) {
    if (optional) return std::nullopt;
    return MountProblem{std::string(kind.lower) + " \"" + name + "\" not found"};
  }
  auto values = keyed_values(*object, kind);
  const json& items = volume_list_of(source, "items");
  if (items.empty()) {
    for (const auto& [key, value] : values) files[key] = {value, default_mode};
    return std::nullopt;
  }
  for (const auto& item : items) {
    const std::string key = volume_text_of(item, "key");
    auto found = values.find(key);
    if (found == values.end()) {
      if (optional) continue;
      return MountProblem{kind.missing_key + key};
    }
    const std::string path = volume_text_of(item, "path");
    if (!valid_projected_path(path)) return MountProblem{"invalid path \"" + path + "\""};
    files[path] = {found->second, volume_mode_of(item, "mode", default_mode)};
  }
  return std::nullopt;
}

std::string volume_bracket_key(const std::string& field_path, const std::string& prefix) {
  std::string rest = field_path.substr(prefix.size());
  if (rest.size() >= 4 && rest.front() == '[' && rest.back() == ']')
    return rest.substr(2, rest.size() - 4);
  return "";
}

std::optional<std::string> field_text(const json& pod, const std::string& path) {
  if (path == "metadata.name") return api::name_of(pod);
  if (path == "metadata.namespace") return api::namespace_of(pod);
  if (path == "metadata.uid") return api::uid_of(pod);
  for (const char* map : {"metadata.labels", "metadata.annotations"}) {
    const json* values = api::find_path(pod, map);
    const json empty = json::object();
    if (path == map) return format_downward_map(values ? *values : empty);
    if (path.rfind(std::string(map) + "[", 0) == 0) {
      auto key = volume_bracket_key(path, map);
      if (values && values->is_object() && values->contains(key) && (*values)[key].is_string())
        return (*values)[key].get<std::string>();
      return std::string();
    }
  }
  return std::nullopt;
}

const json* container_named(const json& pod, const std::string& name) {
  static const json kNoSpec = json::object();
  auto spec = pod.find("spec");
  const json& containers_of = spec != pod.end() ? *spec : kNoSpec;
  for (const char* list : {"containers", "initContainers"})
    for (const auto& c : volume_list_of(containers_of, list))
      if (volume_text_of(c, "name") == name) return &c;
  return nullptr;
}

// The kubelet's ExtractContainerResourceValue: the value divided by the divisor, rounded up;
// limits the container does not set are the node's allocatable.
std::variant<std::string, MountProblem> resource_text(const json& pod, const json& ref,
                                                      const ProjectionContext& context) {
  const std::string container_name = volume_text_of(ref, "containerName");
  const std::string resource = volume_text_of(ref, "resource");
  const json* container = container_named(pod, container_name);
  if (!container)
    return MountProblem{"container " + container_name + " not found in pod " + api::name_of(pod)};
  const bool limit = resource.rfind("limits.", 0) == 0;
  const std::string kind = resource.substr(resource.find('.') + 1);
  const json* value = api::find_path(
      *container, std::string("resources.") + (limit ? "limits." : "requests.") + kind);
  if (!value && !limit) value = api::find_path(*container, "resources.limits." + kind);
  const json divisor = ref.contains("divisor") ? ref["divisor"] : json("1");
  if (kind == "cpu") {
    auto milli = value ? api::cpu_millicores(*value)
                       : std::optional<int64_t>(limit ? context.node_cpu_millicores : 0);
    auto per = api::cpu_millicores(divisor);
    if (!milli || !per || *per <= 0) return MountProblem{"invalid cpu quantity for " + resource};
    return std::to_string(static_cast<long long>(std::ceil(double(*milli) / double(*per))));
  }
  if (kind == "memory") {
    auto bytes = value ? api::memory_bytes(*value)
                       : std::optional<int64_t>(limit ? context.node_memory_bytes : 0);
    auto per = api::memory_bytes(divisor);
    if (!bytes || !per || *per <= 0) return MountProblem{"invalid memory quantity for " + resource};
    return std::to_string(static_cast<long long>(std::ceil(double(*bytes) / double(*per))));
  }
  return MountProblem{"unsupported resource \"" + resource + "\""};
}

std::optional<MountProblem> add_downward(FileSet& files, const json& pod, const json& source,
                                         mode_t default_mode, const ProjectionContext& context) {
  for (const auto& item : volume_list_of(source, "items")) {
    const std::string path = volume_text_of(item, "path");
    if (!valid_projected_path(path)) return MountProblem{"invalid path \"" + path + "\""};
    std::string content;
    if (item.contains("fieldRef")) {
      const std::string field = volume_text_of(item["fieldRef"], "fieldPath");
      auto text = field_text(pod, field);
      if (!text) return MountProblem{"unsupported fieldPath \"" + field + "\""};
      content = *text;
    } else if (item.contains("resourceFieldRef")) {
      auto text = resource_text(pod, item["resourceFieldRef"], context);
      if (auto* problem = std::get_if<MountProblem>(&text)) return *problem;
      content = std::get<std::string>(text);
    }
    files[path] = {content, volume_mode_of(item, "mode", default_mode)};
  }
  return std::nullopt;
}

std::string base64url(const std::string& bytes) {
  std::string text = api::base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (auto& ch : text) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  return text;
}

}  // namespace

bool is_projected_volume(const json& volume) {
  for (const char* source : {"configMap", "secret", "downwardAPI", "projected"})
    if (volume.is_object() && volume.contains(source)) return true;
  return false;
}

bool valid_projected_path(const std::string& path) {
  if (path.empty() || path[0] == '/') return false;
  std::istringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/'))
    if (part == "..") return false;
  return true;
}

std::string format_downward_map(const json& map) {
  std::string out;
  if (!map.is_object()) return out;
  // nlohmann's objects iterate in key order, as Go's sorted keys.
  for (const auto& [key, value] : map.items()) {
    if (!out.empty()) out += '\n';
    out += key + "=\"";
    for (unsigned char ch : value.is_string() ? value.get<std::string>() : value.dump()) {
      switch (ch) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          if (ch < 0x20 || ch == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", ch);
            out += escaped;
          } else {
            out += static_cast<char>(ch);
          }
      }
    }
    out += '"';
  }
  return out;
}

std::string service_account_token(const json& pod, const std::string& audience, long long issued_at,
                                  long long expiration_seconds) {
  const std::string ns = api::namespace_of(pod);
  const std::string account = api::string_at(pod, "spec.serviceAccountName", "default");
  json header = {{"alg", "none"}, {"typ", "JWT"}};
  json claims = {{"aud", json::array({audience.empty() ? kIssuer : audience})},
                 {"exp", issued_at + expiration_seconds},
                 {"iat", issued_at},
                 {"nbf", issued_at},
                 {"iss", kIssuer},
                 {"sub", "system:serviceaccount:" + ns + ":" + account},
                 {"kubernetes.io",
                  {{"namespace", ns},
                   {"pod", {{"name", api::name_of(pod)}, {"uid", api::uid_of(pod)}}},
                   {"serviceaccount", {{"name", account}}}}}};
  // An empty signature: kinda has no key a verifier could trust, and says so with alg "none".
  return base64url(header.dump()) + "." + base64url(claims.dump()) + ".";
}

std::variant<FileSet, MountProblem> project_volume(const json& pod, const json& volume,
                                                   const ProjectionContext& context) {
  FileSet files;
  std::optional<MountProblem> problem;
  if (volume.contains("configMap")) {
    const json& source = volume["configMap"];
    problem = add_keyed(files, source, kConfigMapVolume, "name",
                        volume_mode_of(source, "defaultMode", kDefaultMode), context);
  } else if (volume.contains("secret")) {
    const json& source = volume["secret"];
    problem = add_keyed(files, source, kSecretVolume, "secretName",
                        volume_mode_of(source, "defaultMode", kDefaultMode), context);
  } else if (volume.contains("downwardAPI")) {
    const json& source = volume["downwardAPI"];
    problem = add_downward(files, pod, source, volume_mode_of(source, "defaultMode", kDefaultMode),
                           context);
  } else if (volume.contains("projected")) {
    const json& projected = volume["projected"];
    const mode_t mode = volume_mode_of(projected, "defaultMode", kDefaultMode);
    for (const auto& source : volume_list_of(projected, "sources")) {
      if (source.contains("configMap"))
        problem = add_keyed(files, source["configMap"], kConfigMapVolume, "name", mode, context);
      else if (source.contains("secret"))
        problem = add_keyed(files, source["secret"], kSecretVolume, "name", mode, context);
      else if (source.contains("downwardAPI"))
        problem = add_downward(files, pod, source["downwardAPI"], mode, context);
      else if (source.contains("serviceAccountToken")) {
        const json& token = source["serviceAccountToken"];
        const std::string path = volume_text_of(token, "path");
        if (!valid_projected_path(path)) return MountProblem{"invalid path \"" + path + "\""};
        long long expiration = token.value("expirationSeconds", 3600LL);
        files[path] = {service_account_token(pod, volume_text_of(token, "audience"),
                                             context.token_issued_at, expiration),
                       mode};
      }
      if (problem) break;
    }
  }
  if (problem) return *problem;
  return files;
}

}  // namespace kinda::kubelet
