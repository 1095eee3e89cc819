#include "printers/table.hpp"

#include <map>

#include "printers/age.hpp"
#include "printers/deployment_rows.hpp"
#include "printers/disruption_rows.hpp"
#include "printers/endpoint_rows.hpp"
#include "printers/job_rows.hpp"
#include "printers/node_row.hpp"
#include "printers/pod_row.hpp"
#include "printers/rows.hpp"
#include "printers/stored_rows.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

constexpr const char* kNameDoc = "The object's name, unique within its namespace.";
constexpr const char* kAgeDoc = "How long ago the object was created (metadata.creationTimestamp).";
constexpr const char* kContainersDoc = "The names of the pod template's containers.";
constexpr const char* kImagesDoc = "The images of the pod template's containers.";

Column name_column() {
  return {"Name", "string", "name", kNameDoc, 0};
}
Column age_column() {
  return {"Age", "string", "", kAgeDoc, 0};
}
Column text(const char* name, const char* description, int priority = 0) {
  return {name, "string", "", description, priority};
}

Column created_at_column() {
  return {"Created At", "date", "", "When the object was created.", 0};
}
std::vector<Column> role_binding_columns() {
  return {name_column(),
          text("Role", "The role the binding grants."),
          age_column(),
          text("Users", "The users the binding names.", 1),
          text("Groups", "The groups the binding names.", 1),
          text("ServiceAccounts", "The service accounts the binding names.", 1)};
}
Column number(const char* name, const char* description) {
  return {name, "integer", "", description, 0};
}

struct Printer {
  std::vector<Column> columns;
  PrintedRow (*print)(const json&);
};

// Keyed by plural; the column sets and their order are the API server's.
const std::map<std::string, Printer>& printers() {
  static const std::map<std::string, Printer> kPrinters = {
      {"pods",
       {{name_column(), text("Ready", "Ready containers out of all the pod's containers."),
         text("Status", "The pod's state, summed up from its phase and containers."),
         text("Restarts", "Container restarts, and how long ago the last one was."), age_column(),
         text("IP", "The pod's IP address.", 1), text("Node", "The node the pod runs on.", 1),
         text("Nominated Node", "The node the scheduler nominated for the pod.", 1),
         text("Readiness Gates", "Readiness gates met out of the pod's readiness gates.", 1)},
        print_pod}},
      {"statefulsets",
       {{name_column(), text("Ready", "Ready pods out of the desired replicas."), age_column(),
         text("Containers", kContainersDoc, 1), text("Images", kImagesDoc, 1)},
        print_statefulset}},
      {"daemonsets",
       {{name_column(), number("Desired", "The number of nodes that should run the daemon pod."),
         number("Current", "The number of nodes running at least one daemon pod."),
         number("Ready", "The number of nodes running a ready daemon pod."),
         number("Up-to-date", "The number of nodes running the updated daemon pod."),
         number("Available", "The number of nodes running an available daemon pod."),
         text("Node Selector", "The node selector of the pod template."), age_column(),
         text("Containers", kContainersDoc, 1), text("Images", kImagesDoc, 1),
         text("Selector", "The label selector of the daemon set's pods.", 1)},
        print_daemonset}},
      {"poddisruptionbudgets",
       {{name_column(), text("Min Available", "The minimum number of pods that must be available."),
         text("Max Unavailable", "The maximum number of pods that may be unavailable."),
         number("Allowed Disruptions", "How many pods may be disrupted now."), age_column()},
        print_pod_disruption_budget}},
      {"deployments",
       {{name_column(),
         text("Ready", "Number of the pod with ready state."),
         {"Up-to-date", "integer", "",
          "Total number of non-terminated pods targeted by this deployment that have the desired "
          "template spec.",
          0},
         {"Available", "integer", "",
          "Total number of available pods (ready for at least minReadySeconds) targeted by this "
          "deployment.",
          0},
         age_column(),
         text("Containers", kContainersDoc, 1),
         text("Images", kImagesDoc, 1),
         text("Selector",
              "Label selector for pods. Existing ReplicaSets whose pods are selected "
              "by this will be the ones affected by this deployment.",
              1)},
        print_deployment}},
      {"replicasets",
       {{name_column(),
         {"Desired", "integer", "", "Number of desired pods.", 0},
         {"Current", "integer", "", "Number of actual running pods.", 0},
         {"Ready", "integer", "", "The number of pods ready.", 0},
         age_column(),
         text("Containers", kContainersDoc, 1),
         text("Images", kImagesDoc, 1),
         text("Selector", "Label query over pods that should match the replica count.", 1)},
        print_replicaset}},
      {"controllerrevisions",
       {{name_column(), text("Controller", "The object that owns the revision."),
         text("Revision", "The revision number."), age_column()},
        print_controller_revision}},
      {"leases",
       {{name_column(), text("Holder", "The identity of the lease's current holder."),
         age_column()},
        print_lease}},
      {"services",
       {{name_column(), text("Type", "How the service is exposed."),
         text("Cluster-IP", "The service's cluster IP; None for a headless service."),
         text("External-IP", "Addresses outside the cluster that reach the service."),
         text("Port(s)", "The service's ports and protocols."), age_column(),
         text("Selector", "The labels of the pods the service routes to.", 1)},
        print_service}},
      {"endpoints",
       {{name_column(), text("Endpoints", "The ready addresses behind the service."), age_column()},
        print_endpoints}},
      {"endpointslices",
       {{name_column(), text("AddressType", "The type of address the slice carries."),
         text("Ports", "The ports the slice's endpoints serve."),
         text("Endpoints", "The addresses of the slice's endpoints."), age_column()},
        print_endpoint_slice}},
      {"persistentvolumeclaims",
       {{name_column(), text("Status", "The claim's phase."),
         text("Volume", "The volume bound to the claim."),
         text("Capacity", "The bound volume's capacity."),
         text("Access Modes", "How the volume may be mounted."),
         text("StorageClass", "The claim's storage class."),
         text("VolumeAttributesClass", "The claim's volume attributes class."), age_column(),
         text("VolumeMode", "Filesystem or Block.", 1)},
        print_claim}},
      {"events",
       {{text("Last Seen", "How long ago the event last happened."),
         text("Type", "Normal or Warning."),
         text("Reason", "Why the event happened, in a word."),
         text("Object", "The object the event is about."),
         text("Subobject", "The part of the object the event is about.", 1),
         text("Source", "The component that reported the event.", 1),
         text("Message", "What happened."),
         text("First Seen", "How long ago the event first happened.", 1),
         text("Count", "How many times the event happened.", 1),
         {"Name", "string", "name", kNameDoc, 1}},
        print_event}},
      {"namespaces",
       {{name_column(), text("Status", "The namespace's phase."), age_column()}, print_namespace}},
      {"nodes",
       {{name_column(), text("Status", "Ready or NotReady, and whether pods may be scheduled."),
         text("Roles", "The node's roles from its node-role labels."), age_column(),
         text("Version", "The kubelet's version."),
         text("Internal-IP", "The node's internal address.", 1),
         text("External-IP", "The node's external address.", 1),
         text("OS-Image", "The node's operating system.", 1),
         text("Kernel-Version", "The node's kernel version.", 1),
         text("Container-Runtime", "The node's container runtime.", 1)},
        print_node}},
      {"configmaps",
       {{name_column(), text("Data", "The number of keys."), age_column()}, print_configmap}},
      {"secrets",
       {{name_column(), text("Type", "The kind of secret."), text("Data", "The number of keys."),
         age_column()},
        print_secret}},
      {"serviceaccounts",
       {{name_column(), text("Secrets", "The number of secrets the account lists."), age_column()},
        print_service_account}},
      {"roles", {{name_column(), created_at_column()}, print_default}},
      {"clusterroles", {{name_column(), created_at_column()}, print_default}},
      {"rolebindings", {role_binding_columns(), print_role_binding}},
      {"clusterrolebindings", {role_binding_columns(), print_role_binding}},
      {"networkpolicies",
       {{name_column(), text("Pod-Selector", "The pods the policy selects."), age_column()},
        print_network_policy}},
      {"priorityclasses",
       {{name_column(),
         {"Value", "integer", "", "The priority of the class's pods.", 0},
         {"Global-Default", "boolean", "", "Whether pods without a class get this one.", 0},
         age_column(),
         text("PreemptionPolicy", "Whether the class's pods preempt others.")},
        print_priority_class}},
      {"storageclasses",
       {{name_column(),
         text("Provisioner", "The provisioner of the class's volumes."),
         text("ReclaimPolicy", "What happens to a volume when its claim is deleted."),
         text("VolumeBindingMode", "When claims are bound and provisioned."),
         {"AllowVolumeExpansion", "boolean", "", "Whether claims of the class may grow.", 0},
         age_column()},
        print_storage_class}},
      {"persistentvolumes",
       {{name_column(), text("Capacity", "The volume's capacity."),
         text("Access Modes", "How the volume may be mounted."),
         text("Reclaim Policy", "What happens to the volume when its claim is deleted."),
         text("Status", "The volume's phase."), text("Claim", "The claim bound to the volume."),
         text("StorageClass", "The volume's storage class."),
         text("VolumeAttributesClass", "The volume's attributes class."),
         text("Reason", "Why the volume is in its phase."), age_column(),
         text("VolumeMode", "Filesystem or Block.", 1)},
        print_persistent_volume}},
      {"jobs", {job_columns(), print_job}},
      {"cronjobs", {cronjob_columns(), print_cronjob}},
  };
  return kPrinters;
}

const Printer& default_printer() {
  static const Printer kDefault = {
      {name_column(), {"Created At", "date", "", "When the object was created.", 0}},
      print_default};
  return kDefault;
}

const Printer& printer_for(const api::ResourceInfo& resource) {
  auto it = printers().find(resource.plural);
  return it == printers().end() ? default_printer() : it->second;
}

}  // namespace

const std::vector<Column>& columns_of(const api::ResourceInfo& resource) {
  return printer_for(resource).columns;
}

PrintedRow print_row(const api::ResourceInfo& resource, const json& object) {
  return printer_for(resource).print(object);
}

json cell_value(const Cell& cell, Clock::time_point now) {
  if (const auto* value = std::get_if<json>(&cell)) return *value;
  const Age& age = std::get<Age>(cell);
  if (!age.since) return "<unknown>";
  auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - *age.since);
  return age.prefix + format_age(elapsed) + age.suffix;
}

std::vector<json> cell_values(const PrintedRow& row, Clock::time_point now) {
  std::vector<json> values;
  values.reserve(row.cells.size());
  for (const auto& cell : row.cells) values.push_back(cell_value(cell, now));
  return values;
}

std::string cell_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

}  // namespace kinda::printers
