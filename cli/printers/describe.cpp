// `describe`: kubectl's human-readable description of pods, stateful sets, services, claims,
// namespaces, configmaps, secrets and nodes (node_describe), followed by the object's events (not
// for secrets, as in kubectl). Secret values are never printed, only their sizes.
#include <algorithm>
#include <cctype>
#include <tuple>

#include "api/base64.hpp"
#include "api/object.hpp"
#include "cli/printers/fields.hpp"
#include "cli/printers/node_describe.hpp"
#include "cli/printers/printers.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

std::string or_none(const std::string& value) {
  return value.empty() ? "<none>" : value;
}

// Writes tab-separated lines at indentation levels, like kubectl's PrefixWriter.
class Writer {
 public:
  void line(int level, const std::string& text) {
    out_ += std::string(level * 2, ' ') + text + "\n";
  }
  // "Key:\tfirst" then "\tnext" for the others, or "<none>".
  void multiline(int level, const std::string& key, const std::vector<std::string>& values) {
    if (values.empty()) return line(level, key + ":\t<none>");
    line(level, key + ":\t" + values[0]);
    for (size_t i = 1; i < values.size(); ++i) line(level, "\t" + values[i]);
  }
  // Lines already laid out with their own indentation (describe_pod_template).
  void raw(const std::string& text) { out_ += text; }
  std::string text() const { return align_tabbed(out_, 2); }

 private:
  std::string out_;
};

std::vector<std::string> pairs(const json& map, const std::string& separator) {
  std::vector<std::string> out;
  if (!map.is_object()) return out;
  for (const auto& [k, v] : map.items()) out.push_back(k + separator + cell_text(v));
  return out;
}

void header(Writer& w, const json& object, bool namespaced) {
  w.line(0, "Name:\t" + api::name_of(object));
  if (namespaced) w.line(0, "Namespace:\t" + api::namespace_of(object));
}

void labels_and_annotations(Writer& w, int level, const json& metadata) {
  w.multiline(level, "Labels", pairs(metadata.value("labels", json::object()), "="));
  w.multiline(level, "Annotations", pairs(metadata.value("annotations", json::object()), ": "));
}

std::string ports_text(const json& container) {
  std::vector<std::string> ports;
  for (const auto& p : container.value("ports", json::array()))
    ports.push_back(cell_text(p.value("containerPort", json())) + "/" + p.value("protocol", "TCP"));
  std::string out;
  for (size_t i = 0; i < ports.size(); ++i) out += (i ? ", " : "") + ports[i];
  return out;
}

void container_state(Writer& w, int level, const std::string& title, const json& state) {
  if (!state.is_object() || state.empty()) return;
  if (state.contains("running")) {
    w.line(level, title + ":\tRunning");
    w.line(level + 1, "Started:\t" + describe_time(field(state, "running.startedAt")));
  } else if (state.contains("waiting")) {
    w.line(level, title + ":\tWaiting");
    w.line(level + 1, "Reason:\t" + api::string_at(state, "waiting.reason"));
    if (auto message = api::string_at(state, "waiting.message"); !message.empty())
      w.line(level + 1, "Message:\t" + message);
  } else if (state.contains("terminated")) {
    const json& t = state["terminated"];
    w.line(level, title + ":\tTerminated");
    w.line(level + 1, "Reason:\t" + t.value("reason", ""));
    if (auto message = t.value("message", ""); !message.empty())
      w.line(level + 1, "Message:\t" + message);
    w.line(level + 1, "Exit Code:\t" + cell_text(t.value("exitCode", json(0))));
    w.line(level + 1, "Started:\t" + describe_time(t.value("startedAt", json())));
    w.line(level + 1, "Finished:\t" + describe_time(t.value("finishedAt", json())));
  }
}

void list_lines(Writer& w, int level, const std::string& title, const json& items) {
  if (!items.is_array() || items.empty()) return;
  w.line(level, title + ":");
  for (const auto& item : items) w.line(level + 1, cell_text(item));
}

// One container, under a pod (with its status) or under a pod template (status null).
void container(Writer& w, int level, const json& c, const json& status) {
  w.line(level, c.value("name", "") + ":");
  int inner = level + 1;
  w.line(inner, "Image:\t" + c.value("image", ""));
  std::string ports = ports_text(c);
  if (ports.find(',') != std::string::npos)
    w.line(inner, "Ports:\t" + ports);
  else
    w.line(inner, "Port:\t" + or_none(ports));
  list_lines(w, inner, "Command", c.value("command", json()));
  list_lines(w, inner, "Args", c.value("args", json()));
  if (status.is_object()) {
    container_state(w, inner, "State", status.value("state", json()));
    container_state(w, inner, "Last State", status.value("lastState", json()));
    w.line(inner, std::string("Ready:\t") + (status.value("ready", false) ? "True" : "False"));
    w.line(inner, "Restart Count:\t" + cell_text(status.value("restartCount", json(0))));
  }
  for (const char* kind : {"limits", "requests"}) {
    const json& values = field(c, std::string("resources.") + kind);
    if (!values.is_object() || values.empty()) continue;
    w.line(inner, std::string(kind == std::string("limits") ? "Limits" : "Requests") + ":");
    for (const auto& [name, value] : values.items())
      w.line(inner + 1, name + ":\t" + cell_text(value));
  }
  const json& env = c.value("env", json::array());
  if (env.empty()) {
    w.line(inner, "Environment:\t<none>");
  } else {
    w.line(inner, "Environment:");
    for (const auto& e : env) {
      std::string value = e.contains("valueFrom") ? "<set from " + e["valueFrom"].dump() + ">"
                                                  : e.value("value", "");
      w.line(inner + 1, e.value("name", "") + ":\t" + value);
    }
  }
  const json& mounts = c.value("volumeMounts", json::array());
  if (mounts.empty()) {
    w.line(inner, "Mounts:\t<none>");
  } else {
    w.line(inner, "Mounts:");
    for (const auto& m : mounts)
      w.line(inner + 1, m.value("mountPath", "") + " from " + m.value("name", "") +
                            (m.value("readOnly", false) ? " (ro)" : " (rw)"));
  }
}

void volumes(Writer& w, int level, const json& list) {
  if (!list.is_array() || list.empty()) return w.line(level, "Volumes:\t<none>");
  w.line(level, "Volumes:");
  for (const auto& v : list) {
    w.line(level + 1, v.value("name", "") + ":");
    if (v.contains("persistentVolumeClaim")) {
      w.line(level + 2,
             "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
             "namespace)");
      w.line(level + 2, "ClaimName:\t" + api::string_at(v, "persistentVolumeClaim.claimName"));
      w.line(level + 2,
             std::string("ReadOnly:\t") +
                 (field(v, "persistentVolumeClaim.readOnly") == true ? "true" : "false"));
    } else if (v.contains("emptyDir")) {
      w.line(level + 2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)");
    } else if (v.contains("configMap")) {
      w.line(level + 2, "Type:\tConfigMap (a volume populated by a ConfigMap)");
      w.line(level + 2, "Name:\t" + api::string_at(v, "configMap.name"));
    } else if (v.contains("secret")) {
      w.line(level + 2, "Type:\tSecret (a volume populated by a Secret)");
      w.line(level + 2, "SecretName:\t" + api::string_at(v, "secret.secretName"));
    } else if (v.contains("hostPath")) {
      w.line(level + 2, "Type:\tHostPath (bare host directory volume)");
      w.line(level + 2, "Path:\t" + api::string_at(v, "hostPath.path"));
    }
  }
}

std::string controlled_by(const json& object) {
  for (const auto& ref : array_at(object, "metadata.ownerReferences"))
    if (ref.value("controller", false)) return ref.value("kind", "") + "/" + ref.value("name", "");
  return "";
}

void describe_pod(Writer& w, const json& pod, Clock::time_point now) {
  header(w, pod, true);
  if (auto account = api::string_at(pod, "spec.serviceAccountName"); !account.empty())
    w.line(0, "Service Account:\t" + account);
  std::string node = api::string_at(pod, "spec.nodeName");
  std::string host_ip = api::string_at(pod, "status.hostIP");
  w.line(0, "Node:\t" + (node.empty() ? "<none>" : node + (host_ip.empty() ? "" : "/" + host_ip)));
  if (field(pod, "status.startTime").is_string())
    w.line(0, "Start Time:\t" + describe_time(field(pod, "status.startTime")));
  labels_and_annotations(w, 0, pod.value("metadata", json::object()));
  if (api::is_terminating(pod)) {
    w.line(0, "Status:\tTerminating (lasts " +
                  age_since(field(pod, "metadata.deletionTimestamp"), now) + ")");
    w.line(0, "Termination Grace Period:\t" +
                  cell_text(field(pod, "metadata.deletionGracePeriodSeconds")) + "s");
  } else {
    w.line(0, "Status:\t" + api::pod_phase(pod));
  }
  if (auto reason = api::string_at(pod, "status.reason"); !reason.empty())
    w.line(0, "Reason:\t" + reason);
  if (auto message = api::string_at(pod, "status.message"); !message.empty())
    w.line(0, "Message:\t" + message);
  w.line(0, "IP:\t" + api::string_at(pod, "status.podIP"));
  if (auto owner = controlled_by(pod); !owner.empty()) w.line(0, "Controlled By:\t" + owner);
  for (const auto& [title, specs, statuses] :
       {std::tuple{"Init Containers:", "spec.initContainers", "status.initContainerStatuses"},
        std::tuple{"Containers:", "spec.containers", "status.containerStatuses"}}) {
    const json& list = array_at(pod, specs);
    if (list.empty() && std::string(specs) == "spec.initContainers") continue;
    w.line(0, title);
    for (const auto& c : list) {
      json status;
      for (const auto& s : array_at(pod, statuses))
        if (s.value("name", "") == c.value("name", "")) status = s;
      container(w, 1, c, status.is_null() ? json::object() : status);
    }
  }
  const json& conditions = array_at(pod, "status.conditions");
  if (!conditions.empty()) {
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus");
    for (const auto& c : conditions)
      w.line(1, c.value("type", "") + " \t" + c.value("status", "") + " ");
  }
  volumes(w, 0, field(pod, "spec.volumes"));
}

// labels.Selector's String(): requirements sorted by key, "app=web,tier in (a,b),!legacy".
std::string selector_text(const json& selector) {
  std::vector<std::pair<std::string, std::string>> requirements;
  for (const auto& [key, value] : field(selector, "matchLabels").items())
    requirements.push_back({key, key + "=" + cell_text(value)});
  for (const auto& e : array_at(selector, "matchExpressions")) {
    std::string key = e.value("key", ""), op = e.value("operator", "");
    std::vector<std::string> values;
    for (const auto& v : e.value("values", json::array())) values.push_back(cell_text(v));
    std::sort(values.begin(), values.end());
    std::string list;
    for (size_t i = 0; i < values.size(); ++i) list += (i ? "," : "") + values[i];
    if (op == "In" || op == "NotIn")
      requirements.push_back({key, key + (op == "In" ? " in (" : " notin (") + list + ")"});
    else
      requirements.push_back({key, op == "DoesNotExist" ? "!" + key : key});
  }
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, text] : requirements) out += (out.empty() ? "" : ",") + text;
  return out;
}

// kubectl's describeVolumeClaimTemplates; annotations print as labels do there.
void volume_claim_templates(Writer& w, const json& claims) {
  if (claims.empty()) return w.line(0, "Volume Claims:\t<none>");
  w.line(0, "Volume Claims:");
  for (const auto& claim : claims) {
    w.line(1, "Name:\t" + api::name_of(claim));
    std::string storage_class;
    const json& annotations = field(claim, "metadata.annotations");
    if (annotations.is_object() && annotations.contains("volume.beta.kubernetes.io/storage-class"))
      storage_class = cell_text(annotations["volume.beta.kubernetes.io/storage-class"]);
    else
      storage_class = api::string_at(claim, "spec.storageClassName");
    w.line(1, "StorageClass:\t" + storage_class);
    w.multiline(1, "Labels", pairs(field(claim, "metadata.labels"), "="));
    w.multiline(1, "Annotations", pairs(annotations, "="));
    const json& capacity = field(claim, "spec.resources.requests.storage");
    w.line(1,
           "Capacity:\t" + (capacity.is_null() ? std::string("<default>") : cell_text(capacity)));
    std::string modes;
    for (const auto& m : array_at(claim, "spec.accessModes"))
      modes += (modes.empty() ? "" : " ") + cell_text(m);
    w.line(1, "Access Modes:\t[" + modes + "]");
  }
}

// kubectl's StatefulSet describer: pods counted are those the set controls, by phase.
void describe_statefulset(Writer& w, const json& set, const std::vector<json>& pods) {
  header(w, set, true);
  w.line(0, "CreationTimestamp:\t" + describe_time(field(set, "metadata.creationTimestamp")));
  w.line(0, "Selector:\t" + selector_text(field(set, "spec.selector")));
  labels_and_annotations(w, 0, set.value("metadata", json::object()));
  w.line(0, "Replicas:\t" + std::to_string(api::int_at(set, "spec.replicas", 1)) + " desired | " +
                std::to_string(api::int_at(set, "status.replicas")) + " total");
  w.line(0, "Update Strategy:\t" + api::string_at(set, "spec.updateStrategy.type"));
  const json& rolling = field(set, "spec.updateStrategy.rollingUpdate");
  if (rolling.is_object() && rolling.contains("partition")) {
    w.line(1, "Partition:\t" + cell_text(rolling["partition"]));
    if (rolling.contains("maxUnavailable"))
      w.line(1, "MaxUnavailable:\t" + cell_text(rolling["maxUnavailable"]));
  }
  int running = 0, waiting = 0, succeeded = 0, failed = 0;
  for (const auto& pod : pods) {
    if (api::controller_uid(pod) != api::uid_of(set)) continue;
    std::string phase = api::pod_phase(pod);
    running += phase == "Running";
    waiting += phase == "Pending";
    succeeded += phase == "Succeeded";
    failed += phase == "Failed";
  }
  w.line(0, "Pods Status:\t" + std::to_string(running) + " Running / " + std::to_string(waiting) +
                " Waiting / " + std::to_string(succeeded) + " Succeeded / " +
                std::to_string(failed) + " Failed");
  w.raw(describe_pod_template(field(set, "spec.template")));
  volume_claim_templates(w, array_at(set, "spec.volumeClaimTemplates"));
}

void describe_service(Writer& w, const json& service) {
  header(w, service, true);
  labels_and_annotations(w, 0, service.value("metadata", json::object()));
  std::vector<std::string> selector = pairs(field(service, "spec.selector"), "=");
  std::string selector_text;
  for (size_t i = 0; i < selector.size(); ++i) selector_text += (i ? "," : "") + selector[i];
  w.line(0, "Selector:\t" + or_none(selector_text));
  w.line(0, "Type:\t" + api::string_at(service, "spec.type", "ClusterIP"));
  w.line(0, "IP:\t" + api::string_at(service, "spec.clusterIP"));
  for (const auto& p : array_at(service, "spec.ports")) {
    std::string protocol = p.value("protocol", "TCP");
    w.line(0, "Port:\t" + p.value("name", "<unset>") + "\t" + cell_text(p.value("port", json())) +
                  "/" + protocol);
    w.line(0, "TargetPort:\t" + cell_text(p.value("targetPort", p.value("port", json()))) + "/" +
                  protocol);
    if (p.contains("nodePort"))
      w.line(0, "NodePort:\t" + p.value("name", "<unset>") + "\t" + cell_text(p["nodePort"]) + "/" +
                    protocol);
  }
  w.line(0, "Session Affinity:\t" + api::string_at(service, "spec.sessionAffinity", "None"));
  if (field(service, "spec.publishNotReadyAddresses") == true)
    w.line(0, "Publish Not Ready Addresses:\ttrue");
}

void describe_claim(Writer& w, const json& claim, const std::vector<json>& pods) {
  header(w, claim, true);
  w.line(0, "StorageClass:\t" + api::string_at(claim, "spec.storageClassName"));
  w.line(0, "Status:\t" + (api::is_terminating(claim)
                               ? std::string("Terminating")
                               : api::string_at(claim, "status.phase", "Pending")));
  w.line(0, "Volume:\t" + api::string_at(claim, "spec.volumeName"));
  labels_and_annotations(w, 0, claim.value("metadata", json::object()));
  std::vector<std::string> finalizers;
  for (const auto& f : array_at(claim, "metadata.finalizers")) finalizers.push_back(cell_text(f));
  std::string finalizer_text;
  for (size_t i = 0; i < finalizers.size(); ++i) finalizer_text += (i ? " " : "") + finalizers[i];
  w.line(0, "Finalizers:\t[" + finalizer_text + "]");
  w.line(0, "Capacity:\t" + cell_text(field(claim, "status.capacity.storage")));
  std::string modes;
  for (const auto& m : array_at(claim, "status.accessModes")) {
    std::string mode = cell_text(m);
    modes += (modes.empty() ? "" : ",") + (mode == "ReadWriteOnce"   ? std::string("RWO")
                                           : mode == "ReadOnlyMany"  ? std::string("ROX")
                                           : mode == "ReadWriteMany" ? std::string("RWX")
                                                                     : mode);
  }
  w.line(0, "Access Modes:\t" + modes);
  w.line(0, "VolumeMode:\t" + api::string_at(claim, "spec.volumeMode", "Filesystem"));
  std::vector<std::string> users = claim_users(claim, pods);
  std::string used_by;
  for (size_t i = 0; i < users.size(); ++i) used_by += (i ? ", " : "") + users[i];
  w.line(0, "Used By:\t" + or_none(used_by));
}

void describe_namespace(Writer& w, const json& ns) {
  header(w, ns, false);
  labels_and_annotations(w, 0, ns.value("metadata", json::object()));
  w.line(0, "Status:\t" + api::string_at(ns, "status.phase", "Active"));
}

void describe_configmap(Writer& w, const json& cm) {
  header(w, cm, true);
  labels_and_annotations(w, 0, cm.value("metadata", json::object()));
  w.line(0, "");
  w.line(0, "Data");
  w.line(0, "====");
  const json data = cm.value("data", json::object());
  for (const auto& [key, value] : data.items()) {
    w.line(0, key + ":");
    w.line(0, "----");
    w.line(0, cell_text(value));
    w.line(0, "");
  }
  w.line(0, "");
  w.line(0, "BinaryData");
  w.line(0, "====");
  const json binary = cm.value("binaryData", json::object());
  for (const auto& [key, value] : binary.items()) {
    auto bytes = api::base64_decode(cell_text(value));
    w.line(0, key + ": " + (bytes ? std::to_string(bytes->size()) : "?") + " bytes");
  }
  w.line(0, "");
}

void describe_secret(Writer& w, const json& secret) {
  header(w, secret, true);
  labels_and_annotations(w, 0, secret.value("metadata", json::object()));
  w.line(0, "");
  w.line(0, "Type:\t" + api::string_at(secret, "type"));
  w.line(0, "");
  w.line(0, "Data");
  w.line(0, "====");
  const json data = secret.value("data", json::object());
  for (const auto& [key, value] : data.items()) {
    auto bytes = api::base64_decode(cell_text(value));
    w.line(0, key + ":\t" + (bytes ? std::to_string(bytes->size()) : "?") + " bytes");
  }
}

void describe_other(Writer& w, const api::ResourceInfo& resource, const json& object) {
  header(w, object, resource.namespaced);
  labels_and_annotations(w, 0, object.value("metadata", json::object()));
  w.line(0, "API Version:\t" + object.value("apiVersion", resource.api_version()));
  w.line(0, "Kind:\t" + object.value("kind", resource.kind));
}

std::string event_time(const json& event) {
  for (const char* key : {"lastTimestamp", "eventTime", "firstTimestamp"})
    if (event.contains(key) && event[key].is_string()) return event[key].get<std::string>();
  return "";
}

void events_table(Writer& w, const std::vector<json>& events, Clock::time_point now) {
  if (events.empty()) return w.line(0, "Events:\t<none>");
  w.line(0, "Events:");
  w.line(1, "Type\tReason\tAge\tFrom\tMessage");
  w.line(1, "----\t------\t----\t----\t-------");
  for (const auto& e : events) {
    std::string first = age_since(e.contains("eventTime") && e["eventTime"].is_string()
                                      ? e["eventTime"]
                                      : e.value("firstTimestamp", json()),
                                  now);
    long long count = e.value("count", 1LL);
    std::string interval = count > 1 ? age_since(e.value("lastTimestamp", json()), now) + " (x" +
                                           std::to_string(count) + " over " + first + ")"
                                     : first;
    std::string source = api::string_at(e, "source.component");
    if (source.empty()) source = e.value("reportingComponent", "");
    std::string message = e.value("message", "");
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
      message.pop_back();
    w.line(1, e.value("type", "") + "\t" + e.value("reason", "") + "\t" + interval + "\t" + source +
                  "\t" + message);
  }
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

}  // namespace

std::vector<json> events_about(const json& object, const json& event_list) {
  std::vector<json> out;
  std::string uid = api::uid_of(object);
  for (const auto& e : array_at(event_list, "items")) {
    const json& involved = e.value("involvedObject", json::object());
    std::string involved_uid = involved.value("uid", "");
    bool same = !uid.empty() && !involved_uid.empty()
                    ? involved_uid == uid
                    : involved.value("kind", "") == object.value("kind", "") &&
                          involved.value("name", "") == api::name_of(object);
    if (same) out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const json& a, const json& b) { return event_time(a) < event_time(b); });
  return out;
}

std::string describe(const api::ResourceInfo& resource, const json& object,
                     const DescribeContext& context) {
  Writer w;
  if (resource.plural == "pods")
    describe_pod(w, object, context.now);
  else if (resource.plural == "statefulsets")
    describe_statefulset(w, object, context.pods);
  else if (resource.plural == "services")
    describe_service(w, object);
  else if (resource.plural == "persistentvolumeclaims")
    describe_claim(w, object, context.pods);
  else if (resource.plural == "namespaces")
    describe_namespace(w, object);
  else if (resource.plural == "configmaps")
    describe_configmap(w, object);
  else if (resource.plural == "secrets")
    describe_secret(w, object);
  else if (resource.plural == "nodes")
    for (const auto& line : split_lines(describe_node(object, context.pods, context.now)))
      w.line(0, line);
  else
    describe_other(w, resource, object);
  if (resource.plural != "secrets") events_table(w, context.events, context.now);
  return w.text();
}

}  // namespace kinda::cli
