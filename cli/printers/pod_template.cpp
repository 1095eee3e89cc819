// kubectl's DescribePodTemplate: the "Pod Template:" block of `describe sts` and of
// `rollout history --revision`, as tab-separated lines indented two spaces per level.
#include <algorithm>
#include <sstream>

#include "api/object.hpp"
#include "cli/printers/fields.hpp"
#include "cli/printers/printers.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

constexpr size_t kMaxAnnotationLength = 140;

std::string indent(int level) {
  return std::string(level * 2, ' ');
}

std::vector<std::string> text_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.empty() || (!text.empty() && text.back() == '\n')) lines.push_back("");
  return lines;
}

std::vector<std::string> sorted_keys(const json& map) {
  std::vector<std::string> keys;
  if (map.is_object())
    for (const auto& [key, value] : map.items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

// printLabelsMultiline: "Title:\tk=v" then "\tk=v" for the others, sorted by key.
void labels(std::string& out, const std::string& title, const json& map) {
  out += title + ":\t";
  auto keys = sorted_keys(map);
  if (keys.empty()) {
    out += "<none>\n";
    return;
  }
  for (size_t i = 0; i < keys.size(); ++i)
    out += (i ? "\t" : "") + keys[i] + "=" + cell_text(map[keys[i]]) + "\n";
}

// printAnnotationsMultiline: long or multi-line values go below their key, shortened.
void annotations(std::string& out, const std::string& title, const json& map) {
  out += title + ":\t";
  auto keys = sorted_keys(map);
  if (keys.empty()) {
    out += "<none>\n";
    return;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += "\t";
    std::string value = cell_text(map[keys[i]]);
    if (!value.empty() && value.back() == '\n') value.pop_back();
    if (value.size() + keys[i].size() + 2 > kMaxAnnotationLength ||
        value.find('\n') != std::string::npos) {
      out += keys[i] + ":\n";
      for (const auto& line : text_lines(value)) {
        std::string shown = line;
        if (shown.size() > kMaxAnnotationLength - 2) {
          shown.resize(kMaxAnnotationLength - 2);
          shown += "...";
        }
        out += "\t  " + shown + "\n";
      }
    } else {
      out += keys[i] + ": " + value + "\n";
    }
  }
}

std::string ports_text(const json& container, const char* key) {
  std::string out;
  for (const auto& p : array_at(container, "ports")) {
    json number = p.value(key, json(0));
    out += (out.empty() ? "" : ", ") + cell_text(number) + "/" + p.value("protocol", "TCP");
  }
  return out;
}

// Go's %v of a string slice: "[sh -c echo hi]".
std::string go_list(const json& items) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? " " : "") + cell_text(item);
  return out + "]";
}

std::string probe_text(const json& probe) {
  auto number = [&](const char* key) { return std::to_string(api::int_at(probe, key)); };
  std::string attrs =
      "delay=" + number("initialDelaySeconds") + "s timeout=" + number("timeoutSeconds") +
      "s period=" + number("periodSeconds") + "s #success=" + number("successThreshold") +
      " #failure=" + number("failureThreshold");
  if (probe.contains("exec"))
    return "exec " + go_list(array_at(probe, "exec.command")) + " " + attrs;
  if (probe.contains("httpGet")) {
    std::string scheme = api::string_at(probe, "httpGet.scheme", "HTTP");
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
    std::string port = cell_text(field(probe, "httpGet.port"));
    return "http-get " + scheme + "://" + api::string_at(probe, "httpGet.host") +
           (port.empty() ? "" : ":" + port) + api::string_at(probe, "httpGet.path") + " " + attrs;
  }
  if (probe.contains("tcpSocket"))
    return "tcp-socket " + api::string_at(probe, "tcpSocket.host") + ":" +
           cell_text(field(probe, "tcpSocket.port")) + " " + attrs;
  if (probe.contains("grpc"))
    return "grpc <pod>:" + cell_text(field(probe, "grpc.port")) + " " +
           api::string_at(probe, "grpc.service") + " " + attrs;
  return "unknown " + attrs;
}

// The value a resourceFieldRef shows: the container's own limit or request, else what kubectl
// shows for an unset limit.
std::string resource_field_value(const json& container, const std::string& resource) {
  const json& value = field(container, "resources." + resource);
  if (!value.is_null()) return cell_text(value);
  return resource == "limits.cpu" || resource == "limits.memory" ? "node allocatable" : "0";
}

void env_vars(std::string& out, const json& container) {
  const json& env = array_at(container, "env");
  out += indent(2) + "Environment:" + (env.empty() ? "\t<none>" : "") + "\n";
  for (const auto& e : env) {
    std::string name = e.value("name", "");
    const json& from = e.value("valueFrom", json());
    if (!from.is_object()) {
      auto lines = text_lines(e.value("value", ""));
      for (size_t i = 0; i < lines.size(); ++i)
        out += indent(3) + (i ? "" : name + ":") + "\t" + lines[i] + "\n";
      continue;
    }
    auto optional = [&](const char* ref) {
      return std::string(field(from, std::string(ref) + ".optional") == true ? "true" : "false");
    };
    if (from.contains("fieldRef")) {
      out += indent(3) + name + ":\t (" + api::string_at(from, "fieldRef.apiVersion", "v1") + ":" +
             api::string_at(from, "fieldRef.fieldPath") + ")\n";
    } else if (from.contains("resourceFieldRef")) {
      std::string resource = api::string_at(from, "resourceFieldRef.resource");
      out += indent(3) + name + ":\t" + resource_field_value(container, resource) + " (" +
             resource + ")\n";
    } else if (from.contains("secretKeyRef")) {
      out += indent(3) + name + ":\t<set to the key '" + api::string_at(from, "secretKeyRef.key") +
             "' in secret '" + api::string_at(from, "secretKeyRef.name") +
             "'>\tOptional: " + optional("secretKeyRef") + "\n";
    } else if (from.contains("configMapKeyRef")) {
      out += indent(3) + name + ":\t<set to the key '" +
             api::string_at(from, "configMapKeyRef.key") + "' of config map '" +
             api::string_at(from, "configMapKeyRef.name") +
             "'>\tOptional: " + optional("configMapKeyRef") + "\n";
    }
  }
}

void env_from(std::string& out, const json& container) {
  const json& sources = array_at(container, "envFrom");
  if (sources.empty()) return;
  out += indent(2) + "Environment Variables from:\n";
  for (const auto& source : sources) {
    bool config_map = source.contains("configMapRef");
    const char* ref = config_map ? "configMapRef" : "secretRef";
    std::string prefix = source.value("prefix", "");
    out += indent(3) + api::string_at(source, std::string(ref) + ".name") + "\t" +
           (config_map ? "ConfigMap" : "Secret") +
           (prefix.empty() ? "" : " with prefix '" + prefix + "'") + "\tOptional: " +
           (field(source, std::string(ref) + ".optional") == true ? "true" : "false") + "\n";
  }
}

void mounts(std::string& out, const json& container) {
  std::vector<json> list = array_at(container, "volumeMounts").get<std::vector<json>>();
  out += indent(2) + "Mounts:" + (list.empty() ? "\t<none>" : "") + "\n";
  std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
    return a.value("mountPath", "") < b.value("mountPath", "");
  });
  for (const auto& m : list) {
    std::string flags = m.value("readOnly", false) ? "ro" : "rw";
    if (auto sub = m.value("subPath", ""); !sub.empty()) flags += ",path=" + json(sub).dump();
    out += indent(3) + m.value("mountPath", "") + " from " + m.value("name", "") + " (" + flags +
           ")\n";
  }
}

void resources(std::string& out, const json& container) {
  for (const char* kind : {"limits", "requests"}) {
    const json& values = field(container, std::string("resources.") + kind);
    auto keys = sorted_keys(values);
    if (keys.empty()) continue;
    out += indent(2) + (kind == std::string("limits") ? "Limits:" : "Requests:") + "\n";
    for (const auto& key : keys) out += indent(3) + key + ":\t" + cell_text(values[key]) + "\n";
  }
}

void containers(std::string& out, const std::string& title, const json& list) {
  out += "  " + title + ":" + (list.empty() ? " <none>" : "") + "\n";
  for (const auto& c : list) {
    out += indent(1) + " " + c.value("name", "") + ":\n";
    out += indent(2) + "Image:\t" + c.value("image", "") + "\n";
    std::string ports = ports_text(c, "containerPort");
    bool several = ports.find(',') != std::string::npos;
    out +=
        indent(2) + (several ? "Ports:\t" : "Port:\t") + (ports.empty() ? "<none>" : ports) + "\n";
    std::string host_ports = ports_text(c, "hostPort");
    out += indent(2) + (several ? "Host Ports:\t" : "Host Port:\t") +
           (host_ports.empty() ? "<none>" : host_ports) + "\n";
    for (const char* key : {"command", "args"}) {
      const json& items = array_at(c, key);
      if (items.empty()) continue;
      out += indent(2) + (key == std::string("command") ? "Command:" : "Args:") + "\n";
      for (const auto& item : items)
        for (const auto& line : text_lines(cell_text(item))) out += indent(3) + line + "\n";
    }
    resources(out, c);
    for (const auto& [key, title] :
         {std::pair{"livenessProbe", "Liveness"}, std::pair{"readinessProbe", "Readiness"},
          std::pair{"startupProbe", "Startup"}})
      if (c.contains(key) && c[key].is_object())
        out += indent(2) + title + ":\t" + probe_text(c[key]) + "\n";
    env_from(out, c);
    env_vars(out, c);
    mounts(out, c);
  }
}

void volumes(std::string& out, const json& list) {
  if (list.empty()) {
    out += "  Volumes:\t<none>\n";
    return;
  }
  out += "  Volumes:\n";
  for (const auto& v : list) {
    out += indent(1) + " " + v.value("name", "") + ":\n";
    std::string type = indent(2) + "Type:\t";
    auto line = [&](const std::string& key, const std::string& value) {
      out += indent(2) + key + ":\t" + value + "\n";
    };
    auto flag = [&](const char* path) { return field(v, path) == true ? "true" : "false"; };
    if (v.contains("persistentVolumeClaim")) {
      out += type +
             "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
             "namespace)\n";
      line("ClaimName", api::string_at(v, "persistentVolumeClaim.claimName"));
      line("ReadOnly", flag("persistentVolumeClaim.readOnly"));
    } else if (v.contains("emptyDir")) {
      out += type + "EmptyDir (a temporary directory that shares a pod's lifetime)\n";
      line("Medium", api::string_at(v, "emptyDir.medium"));
      std::string limit = cell_text(field(v, "emptyDir.sizeLimit"));
      line("SizeLimit", limit.empty() || limit == "0" ? "<unset>" : limit);
    } else if (v.contains("hostPath")) {
      out += type + "HostPath (bare host directory volume)\n";
      line("Path", api::string_at(v, "hostPath.path"));
      line("HostPathType", api::string_at(v, "hostPath.type", "<none>"));
    } else if (v.contains("configMap")) {
      out += type + "ConfigMap (a volume populated by a ConfigMap)\n";
      line("Name", api::string_at(v, "configMap.name"));
      line("Optional", flag("configMap.optional"));
    } else if (v.contains("secret")) {
      out += type + "Secret (a volume populated by a Secret)\n";
      line("SecretName", api::string_at(v, "secret.secretName"));
      line("Optional", flag("secret.optional"));
    }
  }
}

void tolerations(std::string& out, const json& list) {
  out += "  Tolerations:\t";
  if (list.empty()) {
    out += "<none>\n";
    return;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const json& t = list[i];
    std::string key = t.value("key", ""), value = t.value("value", ""),
                effect = t.value("effect", "");
    std::string text = key;
    if (!value.empty()) text += "=" + value;
    if (!effect.empty()) text += ":" + effect;
    if (t.value("operator", "") == "Exists" && value.empty())
      text += key.empty() && effect.empty() ? "op=Exists" : " op=Exists";
    if (t.contains("tolerationSeconds") && t["tolerationSeconds"].is_number())
      text += " for " + cell_text(t["tolerationSeconds"]) + "s";
    out += (i ? "\t" : "") + text + "\n";
  }
}

}  // namespace

std::string describe_pod_template(const json& tmpl) {
  std::string out = "Pod Template:\n";
  if (!tmpl.is_object()) return out + indent(1) + "<unset>";
  labels(out, "  Labels", field(tmpl, "metadata.labels"));
  if (const json& notes = field(tmpl, "metadata.annotations"); notes.is_object() && !notes.empty())
    annotations(out, "  Annotations", notes);
  if (auto account = api::string_at(tmpl, "spec.serviceAccountName"); !account.empty())
    out += indent(1) + "Service Account:\t" + account + "\n";
  if (const json& inits = array_at(tmpl, "spec.initContainers"); !inits.empty())
    containers(out, "Init Containers", inits);
  containers(out, "Containers", array_at(tmpl, "spec.containers"));
  volumes(out, array_at(tmpl, "spec.volumes"));
  if (auto priority = api::string_at(tmpl, "spec.priorityClassName"); !priority.empty())
    out += indent(1) + "Priority Class Name:\t" + priority + "\n";
  labels(out, "  Node-Selectors", field(tmpl, "spec.nodeSelector"));
  tolerations(out, array_at(tmpl, "spec.tolerations"));
  return out;
}

}  // namespace kinda::cli
