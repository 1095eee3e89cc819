#include "cli/kubeconfig.hpp"

#include <cstdlib>
#include <regex>

#include <yaml-cpp/yaml.h>

#include "api/base64.hpp"

namespace kinda::cli {
namespace {

// Whether a YAML 1.1 reader (kubectl's) would take this plain scalar for something other than a
// string: null, a boolean (yes/no/on/off too) or a number.
bool reads_as_non_string(const std::string& s) {
  static const std::regex special(
      "|~|null|Null|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|y|Y|n|"
      "N|"
      "[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)|"
      "[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  return std::regex_match(s, special);
}

// Emits `node` keeping strings strings: yaml-cpp forgets that a loaded scalar was quoted, so one
// that was (tag "!") or that this code made (no tag) is quoted again when it would otherwise read
// back as a number, boolean or null.
void emit(YAML::Emitter& out, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out << YAML::BeginMap;
      for (const auto& kv : node) {
        out << YAML::Key;
        emit(out, kv.first);
        out << YAML::Value;
        emit(out, kv.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      out << YAML::BeginSeq;
      for (const auto& item : node) emit(out, item);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar:
      if (node.Tag() != "?" && reads_as_non_string(node.Scalar()))
        out << YAML::DoubleQuoted << node.Scalar();
      else
        out << node.Scalar();
      break;
    default:
      out << YAML::Null;
  }
}

// The named list (clusters, users, contexts) with `entry` in place of any item of its name.
Status put_named(YAML::Node& config, const std::string& list, const std::string& name,
                 const std::string& field, const YAML::Node& value) {
  YAML::Node items = config[list];
  if (items && !items.IsNull() && !items.IsSequence())
    return Error::bad_request(list + " is not a list");
  YAML::Node kept(YAML::NodeType::Sequence);
  if (items && items.IsSequence())
    for (const auto& item : items)
      if (!(item.IsMap() && item["name"] && item["name"].IsScalar() &&
            item["name"].Scalar() == name))
        kept.push_back(item);
  YAML::Node named;
  named["name"] = name;
  named[field] = value;
  kept.push_back(named);
  config[list] = kept;
  return Ok{};
}

}  // namespace

Result<std::string> merge_kubeconfig(const std::string& existing, const KubeconfigEntry& entry) {
  YAML::Node config;
  try {
    config = YAML::Load(existing);
  } catch (const YAML::Exception& e) {
    return Error::bad_request(std::string("not valid YAML: ") + e.what());
  }
  if (config.IsNull()) config = YAML::Node(YAML::NodeType::Map);
  if (!config.IsMap()) return Error::bad_request("not a kubeconfig (no mapping at the top)");
  if (!config["apiVersion"]) config["apiVersion"] = "v1";
  if (!config["kind"]) config["kind"] = "Config";

  YAML::Node cluster;
  cluster["certificate-authority-data"] = api::base64_encode(entry.ca_pem);
  cluster["server"] = entry.server;
  YAML::Node context;
  context["cluster"] = entry.name;
  context["user"] = entry.name;
  YAML::Node user;
  user["token"] = entry.token;
  if (auto st = put_named(config, "clusters", entry.name, "cluster", cluster); !st)
    return st.error();
  if (auto st = put_named(config, "contexts", entry.name, "context", context); !st)
    return st.error();
  config["current-context"] = entry.name;
  if (!config["preferences"]) config["preferences"] = YAML::Node(YAML::NodeType::Map);
  if (auto st = put_named(config, "users", entry.name, "user", user); !st) return st.error();

  YAML::Emitter out;
  emit(out, config);
  return std::string(out.c_str()) + "\n";
}

std::string render_kubeconfig(const KubeconfigEntry& entry) {
  return *merge_kubeconfig("", entry);
}

std::filesystem::path default_kubeconfig_path() {
  if (const char* list = std::getenv("KUBECONFIG"); list && *list) {
    std::string paths = list;
    // kubectl skips empty elements of the list.
    size_t start = 0;
    while (start <= paths.size()) {
      size_t colon = paths.find(':', start);
      std::string first = paths.substr(start, colon - start);
      if (!first.empty()) return first;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : "/") / ".kube" / "config";
}

}  // namespace kinda::cli
