#include "printers/rows.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "printers/fields.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Integers as the API server has them after decoding: "6379" in a manifest is still a number.
std::string number_text(const json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number()) return std::to_string(static_cast<long long>(value.get<double>()));
  if (value.is_string()) return value.get<std::string>();
  return "0";
}

long long map_size(const json& object, const char* key) {
  const json& map = field(object, key);
  return map.is_object() ? static_cast<long long>(map.size()) : 0;
}

// labels.FormatLabels: "k=v,…" in key order, "<none>" when empty.
std::string labels_text(const json& labels) {
  if (!labels.is_object() || labels.empty()) return "<none>";
  std::vector<std::string> pairs;
  for (const auto& [k, v] : labels.items())
    pairs.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
  return join(pairs, ",");
}

// Container names and images of a pod template, comma-separated (layoutContainerCells).
std::pair<std::string, std::string> container_cells(const json& pod_spec_parent) {
  std::vector<std::string> names, images;
  for (const auto& c : array_at(pod_spec_parent, "spec.template.spec.containers")) {
    names.push_back(api::string_at(c, "name"));
    images.push_back(api::string_at(c, "image"));
  }
  return {join(names, ","), join(images, ",")};
}

std::string service_ports(const json& service) {
  std::vector<std::string> ports;
  for (const auto& p : array_at(service, "spec.ports")) {
    std::string protocol = api::string_at(p, "protocol", "TCP");
    long long node_port = api::int_at(p, "nodePort");
    std::string port = number_text(field(p, "port"));
    ports.push_back(node_port > 0 ? port + ":" + std::to_string(node_port) + "/" + protocol
                                  : port + "/" + protocol);
  }
  return ports.empty() ? "<none>" : join(ports, ",");
}

std::vector<std::string> strings_at(const json& object, const std::string& dotted) {
  std::vector<std::string> out;
  for (const auto& v : array_at(object, dotted))
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// getServiceExternalIP: load balancer ingress (IPs or host names, sorted) before externalIPs.
std::string service_external_ip(const json& service, const std::string& type) {
  std::vector<std::string> external = strings_at(service, "spec.externalIPs");
  if (type == "ClusterIP" || type == "NodePort")
    return external.empty() ? "<none>" : join(external, ",");
  if (type == "ExternalName") return api::string_at(service, "spec.externalName");
  if (type != "LoadBalancer") return "<unknown>";
  std::set<std::string> ingress;
  for (const auto& i : array_at(service, "status.loadBalancer.ingress")) {
    std::string ip = api::string_at(i, "ip"), host = api::string_at(i, "hostname");
    if (!ip.empty())
      ingress.insert(ip);
    else if (!host.empty())
      ingress.insert(host);
  }
  std::vector<std::string> all(ingress.begin(), ingress.end());
  all.insert(all.end(), external.begin(), external.end());
  return all.empty() ? "<pending>" : join(all, ",");
}

}  // namespace

// GetAccessModesAsString: a fixed order, whatever the claim lists.
std::string access_modes(const json& modes) {
  std::vector<std::string> listed;
  if (modes.is_array())
    for (const auto& m : modes)
      if (m.is_string()) listed.push_back(m.get<std::string>());
  auto has = [&](const char* mode) {
    return std::find(listed.begin(), listed.end(), mode) != listed.end();
  };
  std::vector<std::string> out;
  if (has("ReadWriteOnce")) out.push_back("RWO");
  if (has("ReadOnlyMany")) out.push_back("ROX");
  if (has("ReadWriteMany")) out.push_back("RWX");
  if (has("ReadWriteOncePod")) out.push_back("RWOP");
  return join(out, ",");
}

namespace {

// formatResourceName over the controller's ownerReference: "statefulset.apps/web".
std::string controller_text(const json& object) {
  for (const auto& ref : array_at(object, "metadata.ownerReferences")) {
    const json& controller = field(ref, "controller");
    if (!controller.is_boolean() || !controller.get<bool>()) continue;
    std::string api_version = api::string_at(ref, "apiVersion");
    size_t slash = api_version.find('/');
    std::string kind = api::string_at(ref, "kind");
    if (slash != std::string::npos) kind += "." + api_version.substr(0, slash);
    std::string name = api::string_at(ref, "name");
    return kind.empty() ? name : lower(kind) + "/" + name;
  }
  return "<none>";
}

// formatEventSource: the component (or reporting controller), then ", host" when there is one.
std::string event_source(const json& event) {
  std::string component = api::string_at(event, "source.component");
  if (component.empty()) component = api::string_at(event, "reportingComponent");
  std::string host = api::string_at(event, "source.host");
  if (host.empty()) host = api::string_at(event, "reportingInstance");
  return host.empty() ? component : component + ", " + host;
}

std::string trim(std::string text) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && space(text.back())) text.pop_back();
  size_t start = 0;
  while (start < text.size() && space(text[start])) ++start;
  return text.substr(start);
}

}  // namespace

Age created_age(const json& object) {
  return Age{time_at(object, "metadata.creationTimestamp"), "", ""};
}

PrintedRow print_statefulset(const json& set) {
  auto [names, images] = container_cells(set);
  PrintedRow row;
  row.cells = {json(api::name_of(set)),
               json(std::to_string(api::int_at(set, "status.readyReplicas")) + "/" +
                    std::to_string(api::int_at(set, "spec.replicas", 1))),
               created_age(set), json(names), json(images)};
  return row;
}

PrintedRow print_controller_revision(const json& revision) {
  PrintedRow row;
  row.cells = {json(api::name_of(revision)), json(controller_text(revision)),
               json(api::int_at(revision, "revision")), created_age(revision)};
  return row;
}

PrintedRow print_lease(const json& lease) {
  PrintedRow row;
  row.cells = {json(api::name_of(lease)), json(api::string_at(lease, "spec.holderIdentity")),
               created_age(lease)};
  return row;
}

PrintedRow print_service(const json& service) {
  std::string type = api::string_at(service, "spec.type", "ClusterIP");
  std::string cluster_ip = api::string_at(service, "spec.clusterIP");
  if (const json& ips = array_at(service, "spec.clusterIPs"); !ips.empty() && ips[0].is_string())
    cluster_ip = ips[0].get<std::string>();
  PrintedRow row;
  row.cells = {json(api::name_of(service)),
               json(type),
               json(cluster_ip.empty() ? "<none>" : cluster_ip),
               json(service_external_ip(service, type)),
               json(service_ports(service)),
               created_age(service),
               json(labels_text(field(service, "spec.selector")))};
  return row;
}

PrintedRow print_claim(const json& claim) {
  // The API server sets Pending when a claim is created, and Filesystem when no mode is given.
  std::string phase = api::string_at(claim, "status.phase", "Pending");
  if (api::is_terminating(claim)) phase = "Terminating";
  std::string volume = api::string_at(claim, "spec.volumeName");
  std::string capacity, modes;
  if (!volume.empty()) {
    capacity = number_text(field(claim, "status.capacity.storage"));
    modes = access_modes(field(claim, "status.accessModes"));
  }
  // GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName.
  std::string storage_class = api::string_at(claim, "spec.storageClassName");
  if (const json& annotations = field(claim, "metadata.annotations"); annotations.is_object()) {
    auto it = annotations.find("volume.beta.kubernetes.io/storage-class");
    if (it != annotations.end() && it->is_string()) storage_class = it->get<std::string>();
  }
  PrintedRow row;
  row.cells = {json(api::name_of(claim)),
               json(phase),
               json(volume),
               json(capacity),
               json(modes),
               json(storage_class),
               json(api::string_at(claim, "spec.volumeAttributesClassName", "<unset>")),
               created_age(claim),
               json(api::string_at(claim, "spec.volumeMode", "Filesystem"))};
  return row;
}

PrintedRow print_event(const json& event) {
  auto first = time_at(event, "firstTimestamp");
  if (!first) first = time_at(event, "eventTime");
  auto last = time_at(event, "lastTimestamp");
  if (!field(event, "lastTimestamp").is_string()) last = first;
  long long count = api::int_at(event, "count");
  if (field(event, "series").is_object()) {
    last = time_at(event, "series.lastObservedTime");
    count = api::int_at(event, "series.count");
  } else if (count == 0) {
    count = 1;  // singleton events of the events.k8s.io API have no count
  }
  std::string kind = lower(api::string_at(event, "involvedObject.kind"));
  std::string name = api::string_at(event, "involvedObject.name");
  PrintedRow row;
  row.cells = {Age{last, "", ""},
               json(api::string_at(event, "type")),
               json(api::string_at(event, "reason")),
               json(name.empty() ? kind : kind + "/" + name),
               json(api::string_at(event, "involvedObject.fieldPath")),
               json(event_source(event)),
               json(trim(api::string_at(event, "message"))),
               Age{first, "", ""},
               json(count),
               json(api::name_of(event))};
  return row;
}

PrintedRow print_namespace(const json& ns) {
  PrintedRow row;
  row.cells = {json(api::name_of(ns)), json(api::string_at(ns, "status.phase", "Active")),
               created_age(ns)};
  return row;
}

PrintedRow print_configmap(const json& map) {
  PrintedRow row;
  row.cells = {json(api::name_of(map)), json(map_size(map, "data") + map_size(map, "binaryData")),
               created_age(map)};
  return row;
}

PrintedRow print_secret(const json& secret) {
  PrintedRow row;
  row.cells = {json(api::name_of(secret)), json(api::string_at(secret, "type", "Opaque")),
               json(map_size(secret, "data")), created_age(secret)};
  return row;
}

PrintedRow print_default(const json& object) {
  auto created = time_at(object, "metadata.creationTimestamp");
  PrintedRow row;
  row.cells = {json(api::name_of(object)),
               json(created ? api::format_rfc3339(*created) : std::string("0001-01-01T00:00:00Z"))};
  return row;
}

}  // namespace kinda::printers
