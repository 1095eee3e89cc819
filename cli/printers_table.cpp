// The `get` tables: kubectl's columns for each kind kinda serves.
#include <algorithm>
#include <cctype>

#include "api/object.hpp"
#include "cli/fields.hpp"
#include "cli/printers.hpp"
#include "cli/printers_node.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

std::string or_none(const std::string& value) {
  return value.empty() ? "<none>" : value;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

std::string number_text(const json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_string()) return value.get<std::string>();
  return value.is_null() ? "" : value.dump();
}

Row pod_row(const json& pod, const TableOptions& options) {
  Row row = {pod_ready(pod), pod_status(pod), pod_restarts(pod, options.now),
             age_since(field(pod, "metadata.creationTimestamp"), options.now)};
  if (options.wide) {
    row.push_back(or_none(api::string_at(pod, "status.podIP")));
    row.push_back(or_none(api::string_at(pod, "spec.nodeName")));
    row.push_back(or_none(api::string_at(pod, "status.nominatedNodeName")));
    row.push_back("<none>");
  }
  return row;
}

Row statefulset_row(const json& set, const TableOptions& options) {
  Row row = {std::to_string(api::int_at(set, "status.readyReplicas")) + "/" +
                 std::to_string(api::int_at(set, "spec.replicas", 1)),
             age_since(field(set, "metadata.creationTimestamp"), options.now)};
  if (options.wide) {
    std::vector<std::string> names, images;
    for (const auto& c : array_at(set, "spec.template.spec.containers")) {
      names.push_back(c.value("name", ""));
      images.push_back(c.value("image", ""));
    }
    row.push_back(join(names, ","));
    row.push_back(join(images, ","));
  }
  return row;
}

std::string service_ports(const json& service) {
  std::vector<std::string> ports;
  for (const auto& p : array_at(service, "spec.ports")) {
    std::string text = number_text(p.value("port", json()));
    if (p.contains("nodePort") && p["nodePort"].is_number() && p["nodePort"].get<long long>() != 0)
      text += ":" + number_text(p["nodePort"]);
    ports.push_back(text + "/" + p.value("protocol", "TCP"));
  }
  return ports.empty() ? "<none>" : join(ports, ",");
}

std::string service_external_ip(const json& service, const std::string& type) {
  std::vector<std::string> ips;
  for (const auto& ip : array_at(service, "spec.externalIPs")) ips.push_back(ip.get<std::string>());
  if (type == "ExternalName") return api::string_at(service, "spec.externalName");
  if (type == "LoadBalancer") {
    for (const auto& ingress : array_at(service, "status.loadBalancer.ingress"))
      ips.push_back(ingress.value("ip", ingress.value("hostname", "")));
    return ips.empty() ? "<pending>" : join(ips, ",");
  }
  return ips.empty() ? "<none>" : join(ips, ",");
}

std::string selector_text(const json& match_labels) {
  if (!match_labels.is_object() || match_labels.empty()) return "<none>";
  std::vector<std::string> pairs;
  for (const auto& [k, v] : match_labels.items())
    pairs.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  return join(pairs, ",");
}

Row service_row(const json& service, const TableOptions& options) {
  std::string type = api::string_at(service, "spec.type", "ClusterIP");
  std::string cluster_ip = api::string_at(service, "spec.clusterIP");
  Row row = {type, or_none(cluster_ip), service_external_ip(service, type), service_ports(service),
             age_since(field(service, "metadata.creationTimestamp"), options.now)};
  if (options.wide) row.push_back(selector_text(field(service, "spec.selector")));
  return row;
}

std::string access_modes(const json& modes) {
  std::vector<std::string> short_modes;
  if (modes.is_array()) {
    for (const auto& mode : modes) {
      std::string m = mode.is_string() ? mode.get<std::string>() : "";
      if (m == "ReadWriteOnce")
        short_modes.push_back("RWO");
      else if (m == "ReadOnlyMany")
        short_modes.push_back("ROX");
      else if (m == "ReadWriteMany")
        short_modes.push_back("RWX");
      else if (m == "ReadWriteOncePod")
        short_modes.push_back("RWOP");
    }
  }
  return join(short_modes, ",");
}

Row claim_row(const json& claim, const TableOptions& options) {
  std::string phase = api::string_at(claim, "status.phase", "Pending");
  if (api::is_terminating(claim)) phase = "Terminating";
  std::string volume = api::string_at(claim, "spec.volumeName");
  std::string capacity, modes;
  if (!volume.empty()) {
    capacity = number_text(field(claim, "status.capacity.storage"));
    modes = access_modes(field(claim, "status.accessModes"));
  }
  Row row = {phase,
             volume,
             capacity,
             modes,
             api::string_at(claim, "spec.storageClassName"),
             api::string_at(claim, "spec.volumeAttributesClassName", "<unset>"),
             age_since(field(claim, "metadata.creationTimestamp"), options.now)};
  if (options.wide) row.push_back(api::string_at(claim, "spec.volumeMode", "Filesystem"));
  // kinda's own columns come after kubectl's, so scripts that read kubectl's keep working.
  std::vector<std::string> users;
  std::optional<std::uint64_t> disk;
  if (options.claims) {
    users = claim_users(claim, options.claims->pods);
    auto it = options.claims->disk_bytes.find(api::namespace_of(claim) + "/" + api::name_of(claim));
    if (it != options.claims->disk_bytes.end()) disk = it->second;
  }
  row.push_back(users.empty() ? "<orphaned>" : join(users, ","));
  row.push_back(disk ? format_bytes(*disk) : "-");
  return row;
}

// kubectl's formatResourceName: the controller as "statefulset.apps/web".
std::string controller_ref(const json& object) {
  for (const auto& ref : array_at(object, "metadata.ownerReferences")) {
    if (!ref.value("controller", false)) continue;
    std::string api_version = ref.value("apiVersion", "");
    size_t slash = api_version.find('/');
    std::string kind = ref.value("kind", "");
    if (slash != std::string::npos) kind += "." + api_version.substr(0, slash);
    std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
    return kind.empty() ? ref.value("name", "") : kind + "/" + ref.value("name", "");
  }
  return "<none>";
}

Row revision_row(const json& revision, const TableOptions& options) {
  return {controller_ref(revision), number_text(revision.value("revision", json(0))),
          age_since(field(revision, "metadata.creationTimestamp"), options.now)};
}

Row namespace_row(const json& ns, const TableOptions& options) {
  return {api::string_at(ns, "status.phase", "Active"),
          age_since(field(ns, "metadata.creationTimestamp"), options.now)};
}

// LAST SEEN as kubectl's printEvent reads the times; a repeated event adds "(xN over FIRST)".
Row event_row(const json& event, const TableOptions& options) {
  const json& first_time = field(event, "firstTimestamp");
  std::string first =
      age_since(first_time.is_string() ? first_time : field(event, "eventTime"), options.now);
  const json& last_time = field(event, "lastTimestamp");
  std::string last = last_time.is_string() ? age_since(last_time, options.now) : first;
  long long count = api::int_at(event, "count", 1);
  if (const json& series = field(event, "series"); series.is_object()) {
    last = age_since(series.value("lastObservedTime", json()), options.now);
    count = api::int_at(series, "count", 1);
  }
  std::string last_seen =
      count > 1 ? last + " (x" + std::to_string(count) + " over " + first + ")" : last;
  std::string kind = api::string_at(event, "involvedObject.kind");
  std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
  std::string name = api::string_at(event, "involvedObject.name");
  std::string message = api::string_at(event, "message");
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
    message.pop_back();
  return {last_seen, api::string_at(event, "type"), api::string_at(event, "reason"),
          name.empty() ? kind : kind + "/" + name, message};
}

size_t map_size(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? it->size() : 0;
}

Row configmap_row(const json& cm, const TableOptions& options) {
  return {std::to_string(map_size(cm, "data") + map_size(cm, "binaryData")),
          age_since(field(cm, "metadata.creationTimestamp"), options.now)};
}

Row secret_row(const json& secret, const TableOptions& options) {
  return {api::string_at(secret, "type"), std::to_string(map_size(secret, "data")),
          age_since(field(secret, "metadata.creationTimestamp"), options.now)};
}

Row generic_row(const json& object, const TableOptions& options) {
  return {age_since(field(object, "metadata.creationTimestamp"), options.now)};
}

}  // namespace

std::string pod_ready(const json& pod) {
  size_t total = array_at(pod, "spec.containers").size();
  size_t ready = 0;
  for (const auto& status : array_at(pod, "status.containerStatuses")) {
    bool running = status.contains("state") && status["state"].contains("running");
    if (status.value("ready", false) && running) ++ready;
  }
  return std::to_string(ready) + "/" + std::to_string(total);
}

std::string pod_status(const json& pod) {
  std::string phase = api::string_at(pod, "status.phase", "Pending");
  std::string reason = api::string_at(pod, "status.reason");
  if (reason.empty()) reason = phase;
  // As kubectl: an unfinished init container names the status ("Init:1/2", "Init:Error").
  const json& inits = array_at(pod, "status.initContainerStatuses");
  for (size_t i = 0; i < inits.size(); ++i) {
    const json& state = inits[i].value("state", json::object());
    if (state.contains("terminated")) {
      if (api::int_at(state, "terminated.exitCode") == 0) continue;
      std::string why = api::string_at(state, "terminated.reason");
      if (why.empty())
        why = "ExitCode:" + std::to_string(api::int_at(state, "terminated.exitCode"));
      return api::is_terminating(pod) ? "Terminating" : "Init:" + why;
    }
    std::string waiting = api::string_at(state, "waiting.reason");
    if (!waiting.empty() && waiting != "PodInitializing")
      return api::is_terminating(pod) ? "Terminating" : "Init:" + waiting;
    return api::is_terminating(pod)
               ? "Terminating"
               : "Init:" + std::to_string(i) + "/" + std::to_string(inits.size());
  }
  bool has_running = false;
  const json& statuses = array_at(pod, "status.containerStatuses");
  for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
    const json& state = it->value("state", json::object());
    std::string waiting = api::string_at(state, "waiting.reason");
    std::string terminated = api::string_at(state, "terminated.reason");
    if (!waiting.empty()) {
      reason = waiting;
    } else if (!terminated.empty()) {
      reason = terminated;
    } else if (state.contains("terminated")) {
      long long signal = api::int_at(state, "terminated.signal");
      reason = signal ? "Signal:" + std::to_string(signal)
                      : "ExitCode:" + std::to_string(api::int_at(state, "terminated.exitCode"));
    } else if (it->value("ready", false) && state.contains("running")) {
      has_running = true;
    }
  }
  if (reason == "Completed" && has_running)
    reason = api::pod_is_ready(pod) ? "Running" : "NotReady";
  if (api::is_terminating(pod)) {
    if (api::string_at(pod, "status.reason") == "NodeLost") return "Unknown";
    if (phase != "Succeeded" && phase != "Failed") return "Terminating";
  }
  return reason;
}

std::string pod_restarts(const json& pod, Clock::time_point now) {
  long long restarts = 0;
  std::string last_restart;
  for (const auto& status : array_at(pod, "status.containerStatuses")) {
    restarts += status.value("restartCount", 0LL);
    std::string finished = api::string_at(status, "lastState.terminated.finishedAt");
    if (finished > last_restart) last_restart = finished;
  }
  std::string text = std::to_string(restarts);
  if (restarts > 0 && !last_restart.empty()) text += " (" + age_since(last_restart, now) + " ago)";
  return text;
}

std::string event_last_time(const json& event) {
  for (const char* key : {"lastTimestamp", "eventTime", "firstTimestamp"})
    if (const json& time = field(event, key); time.is_string()) return time.get<std::string>();
  return "";
}

void sort_events(std::vector<json>& events) {
  // RFC 3339 times in UTC compare as text.
  std::stable_sort(events.begin(), events.end(), [](const json& a, const json& b) {
    return std::pair(event_last_time(a), api::name_of(a)) <
           std::pair(event_last_time(b), api::name_of(b));
  });
}

std::vector<std::string> claim_users(const json& claim, const std::vector<json>& pods) {
  std::vector<std::string> users;
  for (const auto& pod : pods)
    if (api::namespace_of(pod) == api::namespace_of(claim) &&
        api::pod_uses_claim(pod, api::name_of(claim)))
      users.push_back(api::name_of(pod));
  return users;
}

std::string qualified_resource(const api::ResourceInfo& resource) {
  return resource.group.empty() ? resource.singular : resource.singular + "." + resource.group;
}

std::string object_ref(const api::ResourceInfo& resource, const std::string& name) {
  return qualified_resource(resource) + "/" + name;
}

Row table_header(const api::ResourceInfo& resource, const TableOptions& options) {
  Row header;
  if (options.with_namespace && resource.namespaced) header.push_back("NAMESPACE");
  if (resource.plural != "events") header.push_back("NAME");
  Row rest;
  if (resource.plural == "pods") {
    rest = {"READY", "STATUS", "RESTARTS", "AGE"};
    if (options.wide) rest.insert(rest.end(), {"IP", "NODE", "NOMINATED NODE", "READINESS GATES"});
  } else if (resource.plural == "statefulsets") {
    rest = {"READY", "AGE"};
    if (options.wide) rest.insert(rest.end(), {"CONTAINERS", "IMAGES"});
  } else if (resource.plural == "services") {
    rest = {"TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"};
    if (options.wide) rest.push_back("SELECTOR");
  } else if (resource.plural == "persistentvolumeclaims") {
    rest = {"STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS",
            "AGE"};
    if (options.wide) rest.push_back("VOLUMEMODE");
    rest.insert(rest.end(), {"USED BY", "DISK"});
  } else if (resource.plural == "namespaces") {
    rest = {"STATUS", "AGE"};
  } else if (resource.plural == "events") {
    rest = {"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"};
  } else if (resource.plural == "controllerrevisions") {
    rest = {"CONTROLLER", "REVISION", "AGE"};
  } else if (resource.plural == "configmaps") {
    rest = {"DATA", "AGE"};
  } else if (resource.plural == "secrets") {
    rest = {"TYPE", "DATA", "AGE"};
  } else if (resource.plural == "nodes") {
    rest = node_columns(options.wide);
  } else {
    rest = {"AGE"};
  }
  header.insert(header.end(), rest.begin(), rest.end());
  return header;
}

Row table_row(const api::ResourceInfo& resource, const json& object, const TableOptions& options) {
  Row row;
  if (options.with_namespace && resource.namespaced)
    row.push_back(api::string_at(object, "metadata.namespace"));
  std::string name = api::name_of(object);
  if (resource.plural != "events")
    row.push_back(options.with_kind ? object_ref(resource, name) : name);
  Row rest;
  if (resource.plural == "pods")
    rest = pod_row(object, options);
  else if (resource.plural == "statefulsets")
    rest = statefulset_row(object, options);
  else if (resource.plural == "services")
    rest = service_row(object, options);
  else if (resource.plural == "persistentvolumeclaims")
    rest = claim_row(object, options);
  else if (resource.plural == "namespaces")
    rest = namespace_row(object, options);
  else if (resource.plural == "events")
    rest = event_row(object, options);
  else if (resource.plural == "controllerrevisions")
    rest = revision_row(object, options);
  else if (resource.plural == "configmaps")
    rest = configmap_row(object, options);
  else if (resource.plural == "secrets")
    rest = secret_row(object, options);
  else if (resource.plural == "nodes")
    rest = node_cells(object, options);
  else
    rest = generic_row(object, options);
  row.insert(row.end(), rest.begin(), rest.end());
  return row;
}

}  // namespace kinda::cli
