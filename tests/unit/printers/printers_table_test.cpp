// The API server's table printers for the kinds kinda serves: columns and exact cells.
#include <catch2/catch.hpp>

#include "api/resources.hpp"
#include "printers/pod_row.hpp"
#include "printers/table.hpp"
#include "tests/unit/support/printer_fixtures.hpp"

using namespace kinda::printers;
using nlohmann::json;

namespace {

using printer_test::at;
using printer_test::resource;

std::vector<json> cells(const char* kind, const json& object, const std::string& now) {
  return cell_values(print_row(resource(kind), object), at(now));
}

std::vector<std::string> names(const char* kind, int priority) {
  std::vector<std::string> out;
  for (const auto& c : columns_of(resource(kind)))
    if (c.priority == priority) out.push_back(c.name);
  return out;
}

json metadata(const std::string& name) {
  return {{"name", name}, {"namespace", "default"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}};
}

json running(bool ready, int restarts = 0, const std::string& last_finished = "") {
  json status = {{"name", "c"},
                 {"ready", ready},
                 {"restartCount", restarts},
                 {"state", {{"running", {{"startedAt", "2024-01-01T00:00:01Z"}}}}}};
  if (!last_finished.empty())
    status["lastState"] = {{"terminated", {{"exitCode", 1}, {"finishedAt", last_finished}}}};
  return status;
}

json pod(json container_statuses, json status = json::object()) {
  json p = {{"metadata", metadata("web-0")},
            {"spec", {{"containers", {{{"name", "app"}}, {{"name", "sidecar"}}}}}},
            {"status", {{"phase", "Running"}, {"containerStatuses", container_statuses}}}};
  p["status"].update(status);
  return p;
}

}  // namespace

TEST_CASE("each kind has the API server's columns, wide ones at priority 1") {
  using V = std::vector<std::string>;
  CHECK(names("pods", 0) == V{"Name", "Ready", "Status", "Restarts", "Age"});
  CHECK(names("pods", 1) == V{"IP", "Node", "Nominated Node", "Readiness Gates"});
  CHECK(names("statefulsets", 0) == V{"Name", "Ready", "Age"});
  CHECK(names("statefulsets", 1) == V{"Containers", "Images"});
  CHECK(names("services", 0) == V{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"});
  CHECK(names("services", 1) == V{"Selector"});
  CHECK(names("pvc", 0) == V{"Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass",
                             "VolumeAttributesClass", "Age"});
  CHECK(names("pvc", 1) == V{"VolumeMode"});
  CHECK(names("events", 0) == V{"Last Seen", "Type", "Reason", "Object", "Message"});
  CHECK(names("events", 1) == V{"Subobject", "Source", "First Seen", "Count", "Name"});
  CHECK(names("controllerrevisions", 0) == V{"Name", "Controller", "Revision", "Age"});
  CHECK(names("leases", 0) == V{"Name", "Holder", "Age"});
  CHECK(names("ep", 0) == V{"Name", "Endpoints", "Age"});
  CHECK(names("endpointslices", 0) == V{"Name", "AddressType", "Ports", "Endpoints", "Age"});
  CHECK(names("namespaces", 0) == V{"Name", "Status", "Age"});
  CHECK(names("nodes", 0) == V{"Name", "Status", "Roles", "Age", "Version"});
  CHECK(names("nodes", 1) ==
        V{"Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"});
  CHECK(names("configmaps", 0) == V{"Name", "Data", "Age"});
  CHECK(names("secrets", 0) == V{"Name", "Type", "Data", "Age"});
  // The event columns interleave: wide ones sit between the others, as kubectl -o wide shows.
  std::vector<std::string> all;
  for (const auto& c : columns_of(resource("events"))) all.push_back(c.name);
  CHECK(all == V{"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                 "First Seen", "Count", "Name"});
  const auto& pod_name = columns_of(resource("pods")).front();
  CHECK(pod_name.type == "string");
  CHECK(pod_name.format == "name");
  CHECK_FALSE(pod_name.description.empty());
  CHECK(columns_of(resource("pods")).at(1).format.empty());
}

TEST_CASE("a running pod's row: ready containers, phase, restarts, age and the wide cells") {
  json p = pod({running(true), running(false)}, {{"podIP", "127.64.0.2"}});
  p["spec"]["nodeName"] = "c-node";
  CHECK(cells("pods", p, "2024-01-01T00:00:45Z") ==
        std::vector<json>{"web-0", "1/2", "Running", "0", "45s", "127.64.0.2", "c-node", "<none>",
                          "<none>"});
  CHECK(print_row(resource("pods"), p).conditions.is_null());
}

TEST_CASE("RESTARTS sums the containers' restarts and says how long ago the last one was") {
  json p =
      pod({running(true, 2, "2024-01-01T00:01:00Z"), running(true, 1, "2024-01-01T00:03:00Z")});
  CHECK(cells("pods", p, "2024-01-01T00:08:00Z").at(3) == "3 (5m ago)");
  // Printed again later, the same row tells the new age.
  PrintedRow row = print_row(resource("pods"), p);
  CHECK(cell_value(row.cells.at(3), at("2024-01-01T02:03:00Z")) == "3 (120m ago)");
  CHECK(cells("pods", pod({running(true, 4)}), "2024-01-01T00:08:00Z").at(3) == "4");
}

TEST_CASE("a pod being deleted is Terminating unless it had already finished") {
  json p = pod({running(true), running(true)});
  p["metadata"]["deletionTimestamp"] = "2024-01-01T00:01:00Z";
  CHECK(cells("pods", p, "2024-01-01T00:02:00Z").at(2) == "Terminating");
  p["status"]["reason"] = "NodeLost";
  CHECK(cells("pods", p, "2024-01-01T00:02:00Z").at(2) == "Unknown");
  json done = pod({{{"state", {{"terminated", {{"reason", "Completed"}, {"exitCode", 0}}}}}}},
                  {{"phase", "Succeeded"}});
  done["metadata"]["deletionTimestamp"] = "2024-01-01T00:01:00Z";
  CHECK(cells("pods", done, "2024-01-01T00:02:00Z").at(2) == "Completed");
  CHECK(print_row(resource("pods"), done).conditions ==
        json::array({{{"type", "Completed"},
                      {"status", "True"},
                      {"reason", "Succeeded"},
                      {"message", "The pod has completed successfully."}}}));
}

TEST_CASE("init containers: progress over the spec's init containers, then their failures") {
  json p = pod(json::array(), {{"phase", "Pending"}});
  p["spec"]["initContainers"] = {{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}};
  json done = {{"name", "a"}, {"state", {{"terminated", {{"exitCode", 0}}}}}};
  json running_init = {{"name", "b"}, {"state", {{"running", json::object()}}}};
  p["status"]["initContainerStatuses"] = {done, running_init};
  CHECK(pod_status(p) == "Init:1/3");
  p["status"]["initContainerStatuses"][1]["state"] = {{"terminated", {{"exitCode", 2}}}};
  CHECK(pod_status(p) == "Init:ExitCode:2");
  p["status"]["initContainerStatuses"][1]["state"] = {
      {"waiting", {{"reason", "CrashLoopBackOff"}}}};
  CHECK(pod_status(p) == "Init:CrashLoopBackOff");
}

TEST_CASE("a sidecar (restartable init container) counts as a container once started") {
  json p = pod({running(true), running(true)});
  p["spec"]["initContainers"] = {{{"name", "proxy"}, {"restartPolicy", "Always"}}};
  p["status"]["initContainerStatuses"] = {{{"name", "proxy"},
                                           {"started", true},
                                           {"ready", true},
                                           {"restartCount", 1},
                                           {"state", {{"running", json::object()}}}}};
  p["status"]["conditions"] = {{{"type", "Initialized"}, {"status", "True"}}};
  CHECK(pod_ready(p) == "3/3");
  CHECK(cells("pods", p, "2024-01-01T00:00:10Z").at(3) == "1");
}

TEST_CASE("readiness gates count the gates whose condition is True") {
  json p = pod({running(true), running(true)});
  p["spec"]["readinessGates"] = {{{"conditionType", "example.com/lb"}},
                                 {{"conditionType", "example.com/dns"}}};
  p["status"]["conditions"] = {{{"type", "example.com/lb"}, {"status", "True"}}};
  CHECK(cells("pods", p, "2024-01-01T00:00:10Z").at(8) == "1/2");
}

TEST_CASE("a statefulset row: ready of desired replicas, then containers and images") {
  json set = {{"metadata", metadata("web")},
              {"spec",
               {{"replicas", 3},
                {"template",
                 {{"spec",
                   {{"containers",
                     {{{"name", "redis"}, {"image", "redis:7"}},
                      {{"name", "exporter"}, {"image", "exporter:1"}}}}}}}}}},
              {"status", {{"readyReplicas", 2}}}};
  CHECK(cells("sts", set, "2024-01-01T00:00:10Z") ==
        std::vector<json>{"web", "2/3", "10s", "redis,exporter", "redis:7,exporter:1"});
}

TEST_CASE("a service with several ports lists each as port[:nodePort]/protocol") {
  json svc = {{"metadata", metadata("web")},
              {"spec",
               {{"type", "NodePort"},
                {"clusterIP", "10.96.0.10"},
                {"clusterIPs", {"10.96.0.10"}},
                {"selector", {{"app", "web"}, {"tier", "front"}}},
                {"ports",
                 {{{"port", 80}, {"nodePort", 30080}, {"protocol", "TCP"}},
                  {{"port", 53}, {"protocol", "UDP"}},
                  {{"port", 9090}}}}}}};
  CHECK(cells("svc", svc, "2024-01-01T01:00:00Z") ==
        std::vector<json>{"web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP,9090/TCP",
                          "60m", "app=web,tier=front"});
  json headless = {{"metadata", metadata("db")}, {"spec", {{"clusterIP", "None"}}}};
  CHECK(cells("svc", headless, "2024-01-01T01:00:00Z") ==
        std::vector<json>{"db", "ClusterIP", "None", "<none>", "<none>", "60m", "<none>"});
  json lb = {
      {"metadata", metadata("lb")},
      {"spec", {{"type", "LoadBalancer"}, {"externalIPs", {"192.0.2.9"}}}},
      {"status",
       {{"loadBalancer", {{"ingress", {{{"ip", "203.0.113.7"}}, {{"hostname", "lb.example"}}}}}}}}};
  CHECK(cells("svc", lb, "2024-01-01T01:00:00Z").at(3) == "203.0.113.7,lb.example,192.0.2.9");
  lb["spec"].erase("externalIPs");
  lb.erase("status");
  CHECK(cells("svc", lb, "2024-01-01T01:00:00Z").at(3) == "<pending>");
}

TEST_CASE("a bound claim shows its volume, capacity and modes; a pending one leaves them empty") {
  json bound = {
      {"metadata", metadata("data-web-0")},
      {"spec",
       {{"volumeName", "pvc-1"}, {"storageClassName", "local"}, {"volumeMode", "Filesystem"}}},
      {"status",
       {{"phase", "Bound"},
        {"capacity", {{"storage", "1Gi"}}},
        {"accessModes", {"ReadWriteMany", "ReadWriteOnce"}}}}};
  CHECK(cells("pvc", bound, "2024-01-01T00:00:10Z") ==
        std::vector<json>{"data-web-0", "Bound", "pvc-1", "1Gi", "RWO,RWX", "local", "<unset>",
                          "10s", "Filesystem"});
  json pending = {
      {"metadata", metadata("data-web-1")},
      {"spec",
       {{"storageClassName", "local"}, {"resources", {{"requests", {{"storage", "1Gi"}}}}}}},
      {"status", {{"phase", "Pending"}}}};
  CHECK(cells("pvc", pending, "2024-01-01T00:00:10Z") ==
        std::vector<json>{"data-web-1", "Pending", "", "", "", "local", "<unset>", "10s",
                          "Filesystem"});
  pending["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:05Z";
  pending["metadata"]["annotations"] = {{"volume.beta.kubernetes.io/storage-class", "beta"}};
  auto deleting = cells("pvc", pending, "2024-01-01T00:00:10Z");
  CHECK(deleting.at(1) == "Terminating");
  CHECK(deleting.at(5) == "beta");
}

TEST_CASE("an event row: last seen, the involved object, source and count in the wide cells") {
  json event = {{"metadata", metadata("web.17a")},
                {"firstTimestamp", "2024-01-01T00:00:00Z"},
                {"lastTimestamp", "2024-01-01T00:00:50Z"},
                {"count", 4},
                {"type", "Warning"},
                {"reason", "BackOff"},
                {"involvedObject",
                 {{"kind", "Pod"}, {"name", "web-0"}, {"fieldPath", "spec.containers{app}"}}},
                {"source", {{"component", "kubelet"}, {"host", "c-node"}}},
                {"message", "Back-off restarting failed container\n"}};
  CHECK(cells("events", event, "2024-01-01T00:01:00Z") ==
        std::vector<json>{"10s", "Warning", "BackOff", "pod/web-0", "spec.containers{app}",
                          "kubelet, c-node", "Back-off restarting failed container", "60s", 4,
                          "web.17a"});
  json once = {{"metadata", metadata("web.17b")},
               {"eventTime", "2024-01-01T00:00:30.000000Z"},
               {"reportingComponent", "statefulset-controller"},
               {"involvedObject", {{"kind", "StatefulSet"}, {"name", "web"}}}};
  auto row = cells("events", once, "2024-01-01T00:01:00Z");
  CHECK(row.at(0) == "30s");
  CHECK(row.at(3) == "statefulset/web");
  CHECK(row.at(5) == "statefulset-controller");
  CHECK(row.at(7) == "30s");
  CHECK(row.at(8) == 1);
  json series = event;
  series["series"] = {{"count", 9}, {"lastObservedTime", "2024-01-01T00:00:58.000000Z"}};
  CHECK(cells("events", series, "2024-01-01T00:01:00Z").at(0) == "2s");
  CHECK(cells("events", series, "2024-01-01T00:01:00Z").at(8) == 9);
}

TEST_CASE("revisions name their controller; maps and secrets count keys as integers") {
  json revision = {{"metadata",
                    {{"name", "web-5d8f"},
                     {"creationTimestamp", "2024-01-01T00:00:00Z"},
                     {"ownerReferences",
                      {{{"apiVersion", "apps/v1"},
                        {"kind", "StatefulSet"},
                        {"name", "web"},
                        {"controller", true}}}}}},
                   {"revision", 2}};
  CHECK(cells("controllerrevisions", revision, "2024-01-01T00:00:30Z") ==
        std::vector<json>{"web-5d8f", "statefulset.apps/web", 2, "30s"});
  json lease = {{"metadata", metadata("leader")}, {"spec", {{"holderIdentity", "web-1"}}}};
  CHECK(cells("leases", lease, "2024-01-01T00:00:30Z") ==
        std::vector<json>{"leader", "web-1", "30s"});
  lease["spec"].erase("holderIdentity");
  CHECK(cells("leases", lease, "2024-01-01T00:00:30Z") == std::vector<json>{"leader", "", "30s"});
  json map = {{"metadata", metadata("conf")},
              {"data", {{"a", "1"}, {"b", "2"}}},
              {"binaryData", {{"c", "AA=="}}}};
  CHECK(cells("cm", map, "2024-01-01T00:00:30Z") == std::vector<json>{"conf", 3, "30s"});
  json secret = {{"metadata", metadata("pw")}, {"data", {{"password", "cHc="}}}};
  CHECK(cells("secrets", secret, "2024-01-01T00:00:30Z") ==
        std::vector<json>{"pw", "Opaque", 1, "30s"});
  json ns = {{"metadata", metadata("default")}, {"status", {{"phase", "Active"}}}};
  CHECK(cells("ns", ns, "2024-01-01T00:00:30Z") == std::vector<json>{"default", "Active", "30s"});
}

TEST_CASE("a node row: status, roles, version, then addresses and system info") {
  json node = {{"metadata",
                {{"name", "c-node"},
                 {"creationTimestamp", "2024-01-01T00:00:00Z"},
                 {"labels", {{"node-role.kubernetes.io/control-plane", ""}}}}},
               {"spec", {{"unschedulable", true}}},
               {"status",
                {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}},
                 {"addresses", {{{"type", "InternalIP"}, {"address", "127.0.0.1"}}}},
                 {"nodeInfo", {{"kubeletVersion", "v1.32.0-kinda"}, {"osImage", "Debian"}}}}}};
  CHECK(cells("nodes", node, "2024-01-01T00:00:30Z") ==
        std::vector<json>{"c-node", "Ready,SchedulingDisabled", "control-plane", "30s",
                          "v1.32.0-kinda", "127.0.0.1", "<none>", "Debian", "<unknown>",
                          "<unknown>"});
}

TEST_CASE("kinds without a printer get Name and Created At, as the API server's default") {
  kinda::api::ResourceInfo widgets{"widgets", "widget", "Widget", "example.com", "v1", true, {}};
  const auto& columns = columns_of(widgets);
  REQUIRE(columns.size() == 2);
  CHECK(columns[1].name == "Created At");
  CHECK(columns[1].type == "date");
  json lease = {{"metadata", {{"name", "l"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}}};
  CHECK(cell_values(print_row(widgets, lease), at("2024-02-01T00:00:00Z")) ==
        std::vector<json>{"l", "2024-01-01T00:00:00Z"});
}

TEST_CASE("cells print as kubectl prints them") {
  CHECK(cell_text(json("web-0")) == "web-0");
  CHECK(cell_text(json(3)) == "3");
  CHECK(cell_text(json()) == "");
  CHECK(cell_value(Age{}, at("2024-01-01T00:00:00Z")) == "<unknown>");
}

TEST_CASE("endpoints print ip:port for each ready address and port, three at most") {
  const std::string now = "2024-01-01T00:01:00Z";
  json ep = {{"metadata", metadata("web")}};
  CHECK(cells("endpoints", ep, now) == std::vector<json>{"web", "<none>", "60s"});
  ep["subsets"] = {{{"notReadyAddresses", {{{"ip", "127.64.0.9"}}}}, {"ports", {{{"port", 80}}}}}};
  // Only not-ready addresses: kubectl prints an empty cell, not <none>.
  CHECK(cells("endpoints", ep, now)[1] == "");
  ep["subsets"] = {{{"addresses", {{{"ip", "127.64.0.2"}}, {{"ip", "127.64.0.3"}}}},
                    {"ports", {{{"name", "http"}, {"port", 80}}, {{"name", "dns"}, {"port", 53}}}}},
                   {{"addresses", {{{"ip", "fd00::1"}}}}, {"ports", {{{"port", 8080}}}}}};
  CHECK(cells("endpoints", ep, now)[1] == "127.64.0.2:80,127.64.0.3:80,127.64.0.2:53 + 2 more...");
  ep["subsets"] = {{{"addresses", {{{"ip", "fd00::1"}}}}, {"ports", {{{"port", 8080}}}}},
                   {{"addresses", {{{"ip", "127.64.0.7"}}}}}};
  CHECK(cells("endpoints", ep, now)[1] == "[fd00::1]:8080,127.64.0.7");
}

TEST_CASE("endpoint slices print their type, ports and every address, <unset> when none") {
  const std::string now = "2024-01-01T00:00:30Z";
  json slice = {{"metadata", metadata("web-abcde")},
                {"addressType", "IPv4"},
                {"endpoints", json::array()},
                {"ports", json::array()}};
  CHECK(cells("endpointslices", slice, now) ==
        std::vector<json>{"web-abcde", "IPv4", "<unset>", "<unset>", "30s"});
  slice["ports"] = {
      {{"name", "http"}, {"port", 8080}}, {{"name", "named"}}, json::object(), {{"port", 9}}};
  for (const char* ip : {"127.64.0.2", "127.64.0.3", "127.64.0.4", "127.64.0.5"})
    slice["endpoints"].push_back(
        {{"addresses", {ip}}, {"conditions", {{"ready", std::string(ip) != "127.64.0.3"}}}});
  CHECK(cells("endpointslices", slice, now) ==
        std::vector<json>{"web-abcde", "IPv4", "8080,named,* + 1 more...",
                          "127.64.0.2,127.64.0.3,127.64.0.4 + 1 more...", "30s"});
}

TEST_CASE("a daemonset row: node counts, node selector, then containers, images and selector") {
  CHECK(names("ds", 0) == std::vector<std::string>{"Name", "Desired", "Current", "Ready",
                                                   "Up-to-date", "Available", "Node Selector",
                                                   "Age"});
  CHECK(names("ds", 1) == std::vector<std::string>{"Containers", "Images", "Selector"});
  json ds = {
      {"metadata", metadata("agent")},
      {"spec",
       {{"selector",
         {{"matchLabels", {{"app", "agent"}}},
          {"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"a", "b"}}}}}}},
        {"template",
         {{"spec",
           {{"nodeSelector", {{"disk", "ssd"}, {"arch", "amd64"}}},
            {"containers", {{{"name", "a"}, {"image", "busybox"}}}}}}}}}},
      {"status",
       {{"desiredNumberScheduled", 3},
        {"currentNumberScheduled", 3},
        {"numberReady", 2},
        {"updatedNumberScheduled", 1},
        {"numberAvailable", 2}}}};
  CHECK(cells("ds", ds, "2024-01-01T00:00:10Z") ==
        std::vector<json>{"agent", 3, 3, 2, 1, 2, "arch=amd64,disk=ssd", "10s", "a", "busybox",
                          "app=agent,tier in (a,b)"});
  ds["spec"]["template"]["spec"].erase("nodeSelector");
  CHECK(cells("ds", ds, "2024-01-01T00:00:10Z")[6] == "<none>");
}

TEST_CASE("a poddisruptionbudget row: N/A for the field it does not set") {
  CHECK(names("pdb", 0) == std::vector<std::string>{"Name", "Min Available", "Max Unavailable",
                                                    "Allowed Disruptions", "Age"});
  json pdb = {{"metadata", metadata("web")},
              {"spec", {{"maxUnavailable", "50%"}}},
              {"status", {{"disruptionsAllowed", 1}}}};
  CHECK(cells("pdb", pdb, "2024-01-01T00:00:10Z") ==
        std::vector<json>{"web", "N/A", "50%", 1, "10s"});
}
