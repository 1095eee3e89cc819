#include <catch2/catch.hpp>

#include "api/resources.hpp"
#include "cli/printers/printers.hpp"
#include "tests/unit/support/printer_fixtures.hpp"

using namespace kinda::cli;
using nlohmann::json;
using std::chrono::seconds;

namespace {

using printer_test::at;
using printer_test::resource;

json pod_with(json container_statuses, json extra_status = json::object()) {
  json pod = {{"metadata", {{"name", "redis-0"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
              {"spec", {{"containers", {{{"name", "redis"}}, {{"name", "sidecar"}}}}}},
              {"status", {{"phase", "Running"}, {"containerStatuses", container_statuses}}}};
  pod["status"].update(extra_status);
  return pod;
}

json running(bool ready, int restarts = 0) {
  return {{"ready", ready},
          {"restartCount", restarts},
          {"state", {{"running", {{"startedAt", "2024-01-01T00:00:01Z"}}}}}};
}

}  // namespace

TEST_CASE("ages print in kubectl's short format") {
  CHECK(format_age(seconds(-5)) == "<invalid>");
  CHECK(format_age(seconds(-1)) == "0s");
  CHECK(format_age(seconds(5)) == "5s");
  CHECK(format_age(seconds(119)) == "119s");
  CHECK(format_age(seconds(120)) == "2m");
  CHECK(format_age(seconds(192)) == "3m12s");
  CHECK(format_age(seconds(15 * 60 + 7)) == "15m");
  CHECK(format_age(seconds(3 * 3600 + 5 * 60)) == "3h5m");
  CHECK(format_age(seconds(5 * 3600)) == "5h");
  CHECK(format_age(seconds(30 * 3600)) == "30h");
  CHECK(format_age(seconds(51 * 3600)) == "2d3h");
  CHECK(format_age(seconds(100 * 86400)) == "100d");
  CHECK(format_age(seconds((365 * 2 + 10) * 86400LL)) == "2y10d");
  CHECK(age_since("2024-01-01T00:00:00Z", at("2024-01-01T00:03:12Z")) == "3m12s");
  CHECK(age_since(json(), at("2024-01-01T00:00:00Z")) == "<unknown>");
}

TEST_CASE("pod READY counts ready, running containers out of the spec's containers") {
  CHECK(pod_ready(pod_with({running(true), running(false)})) == "1/2");
  CHECK(pod_ready(pod_with(json::array())) == "0/2");
  json waiting_but_ready = {{"ready", true}, {"state", {{"waiting", {{"reason", "X"}}}}}};
  CHECK(pod_ready(pod_with({waiting_but_ready, running(true)})) == "1/2");
}

TEST_CASE(
    "pod STATUS prefers Terminating, then container reasons, then status.reason, then phase") {
  CHECK(pod_status(pod_with({running(true), running(true)})) == "Running");
  json crash = {{"ready", false}, {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}};
  CHECK(pod_status(pod_with({running(true), crash})) == "CrashLoopBackOff");
  json creating = {{"state", {{"waiting", {{"reason", "ContainerCreating"}}}}}};
  CHECK(pod_status(pod_with({creating}, {{"phase", "Pending"}})) == "ContainerCreating");
  json completed = {{"state", {{"terminated", {{"reason", "Completed"}, {"exitCode", 0}}}}}};
  CHECK(pod_status(pod_with({completed}, {{"phase", "Succeeded"}})) == "Completed");
  json error = {{"state", {{"terminated", {{"reason", "Error"}, {"exitCode", 1}}}}}};
  CHECK(pod_status(pod_with({error}, {{"phase", "Failed"}})) == "Error");
  json exit_code = {{"state", {{"terminated", {{"exitCode", 3}}}}}};
  CHECK(pod_status(pod_with({exit_code})) == "ExitCode:3");
  json signal = {{"state", {{"terminated", {{"exitCode", 137}, {"signal", 9}}}}}};
  CHECK(pod_status(pod_with({signal})) == "Signal:9");
  CHECK(pod_status(pod_with(json::array(), {{"phase", "Pending"}})) == "Pending");
  CHECK(pod_status(pod_with(json::array(), {{"phase", "Failed"}, {"reason", "Evicted"}})) ==
        "Evicted");
  json terminating = pod_with({running(true), running(true)});
  terminating["metadata"]["deletionTimestamp"] = "2024-01-01T00:01:00Z";
  CHECK(pod_status(terminating) == "Terminating");
}

TEST_CASE("pod STATUS shows init progress the way kubectl does") {
  json done = {{"state", {{"terminated", {{"reason", "Completed"}, {"exitCode", 0}}}}}};
  json running_init = {{"state", {{"running", json::object()}}}};
  json pending = {{"state", {{"waiting", {{"reason", "PodInitializing"}}}}}};
  json crash = {{"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}};
  json failed = {{"state", {{"terminated", {{"reason", "Error"}, {"exitCode", 1}}}}}};
  auto with_inits = [](json inits) {
    return pod_with(json::array(), {{"phase", "Pending"}, {"initContainerStatuses", inits}});
  };
  CHECK(pod_status(with_inits({done, running_init})) == "Init:1/2");
  CHECK(pod_status(with_inits({pending, pending})) == "Init:0/2");
  CHECK(pod_status(with_inits({done, crash})) == "Init:CrashLoopBackOff");
  CHECK(pod_status(with_inits({failed, pending})) == "Init:Error");
  json initialized = pod_with({running(true), running(true)}, {{"initContainerStatuses", {done}}});
  CHECK(pod_status(initialized) == "Running");
}

TEST_CASE("pod RESTARTS adds how long ago the last restart was") {
  json restarted = running(true, 2);
  restarted["lastState"] = {{"terminated", {{"finishedAt", "2024-01-01T00:00:00Z"}}}};
  CHECK(pod_restarts(pod_with({restarted, running(true, 1)}), at("2024-01-01T00:05:00Z")) ==
        "3 (5m ago)");
  CHECK(pod_restarts(pod_with({running(true)}), at("2024-01-01T00:05:00Z")) == "0");
}

TEST_CASE("the pods table has kubectl's columns, wide adds IP and NODE") {
  TableOptions options;
  options.now = at("2024-01-01T00:00:45Z");
  json pod = pod_with({running(true), running(true)}, {{"podIP", "127.64.0.2"}});
  std::vector<Row> rows = {table_header(resource("pods"), options),
                           table_row(resource("pods"), pod, options)};
  CHECK(render_table(rows) ==
        "NAME      READY   STATUS    RESTARTS   AGE\n"
        "redis-0   2/2     Running   0          45s\n");
  options.wide = true;
  CHECK(table_row(resource("pods"), pod, options) ==
        Row{"redis-0", "2/2", "Running", "0", "45s", "127.64.0.2", "<none>", "<none>", "<none>"});
  CHECK(table_header(resource("po"), options).at(5) == "IP");
  CHECK(table_header(resource("po"), options).at(6) == "NODE");
}

TEST_CASE("a headless service row shows CLUSTER-IP None and PORT(S) like 6379/TCP") {
  TableOptions options;
  options.now = at("2024-01-01T01:00:00Z");
  json svc = {{"metadata", {{"name", "redis"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
              {"spec",
               {{"clusterIP", "None"},
                {"ports", {{{"port", 6379}, {"protocol", "TCP"}}, {{"port", 16379}}}}}}};
  CHECK(table_header(resource("svc"), options) ==
        Row{"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"});
  CHECK(table_row(resource("svc"), svc, options) ==
        Row{"redis", "ClusterIP", "None", "<none>", "6379/TCP,16379/TCP", "60m"});
}

TEST_CASE("statefulset, claim, namespace and event rows follow kubectl") {
  TableOptions options;
  options.now = at("2024-01-01T00:00:10Z");
  json set = {
      {"metadata", {{"name", "redis"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
      {"spec",
       {{"replicas", 3},
        {"template", {{"spec", {{"containers", {{{"name", "redis"}, {"image", "redis:7"}}}}}}}}}},
      {"status", {{"readyReplicas", 2}}}};
  CHECK(table_row(resource("sts"), set, options) == Row{"redis", "2/3", "10s"});
  options.wide = true;
  CHECK(table_row(resource("sts"), set, options) == Row{"redis", "2/3", "10s", "redis", "redis:7"});
  options.wide = false;

  json claim = {
      {"metadata", {{"name", "data-redis-0"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
      {"spec", {{"volumeName", "pvc-1"}, {"storageClassName", "local"}}},
      {"status",
       {{"phase", "Bound"},
        {"capacity", {{"storage", "1Gi"}}},
        {"accessModes", {"ReadWriteOnce"}}}}};
  CHECK(table_header(resource("pvc"), options) ==
        Row{"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS", "AGE", "USED BY", "DISK"});
  CHECK(table_row(resource("pvc"), claim, options) == Row{"data-redis-0", "Bound", "pvc-1", "1Gi",
                                                          "RWO", "local", "<unset>", "10s",
                                                          "<orphaned>", "-"});

  json ns = {{"metadata", {{"name", "default"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
             {"status", {{"phase", "Active"}}}};
  CHECK(table_row(resource("ns"), ns, options) == Row{"default", "Active", "10s"});

  json event = {{"lastTimestamp", "2024-01-01T00:00:05Z"},
                {"type", "Normal"},
                {"reason", "SuccessfulCreate"},
                {"involvedObject", {{"kind", "StatefulSet"}, {"name", "redis"}}},
                {"message", "create Pod redis-0 in StatefulSet redis successful"}};
  CHECK(table_header(resource("events"), options) ==
        Row{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"});
  CHECK(table_row(resource("events"), event, options) ==
        Row{"5s", "Normal", "SuccessfulCreate", "statefulset/redis",
            "create Pod redis-0 in StatefulSet redis successful"});
}

TEST_CASE("several types name rows kind/name and all namespaces adds NAMESPACE") {
  TableOptions options;
  options.with_kind = true;
  options.with_namespace = true;
  json set = {{"metadata", {{"name", "redis"}, {"namespace", "db"}}}};
  Row row = table_row(resource("statefulsets"), set, options);
  CHECK(row.at(0) == "db");
  CHECK(row.at(1) == "statefulset.apps/redis");
  CHECK(table_header(resource("namespaces"), options).at(0) == "NAME");
  CHECK(object_ref(resource("po"), "redis-0") == "pod/redis-0");
}

TEST_CASE("align_tabbed aligns each run of lines like Go's tabwriter") {
  CHECK(align_tabbed("Name:\tredis-0\nNamespace:\tdefault\nContainers:\n  a:\tb\n", 2) ==
        "Name:       redis-0\nNamespace:  default\nContainers:\n  a:  b\n");
}

TEST_CASE("multiple objects print as a kubectl List") {
  json list = as_list({json{{"kind", "Pod"}}});
  CHECK(list["kind"] == "List");
  CHECK(list["items"].size() == 1);
  CHECK(format_json(json{{"a", 1}}) == "{\n    \"a\": 1\n}\n");
}

TEST_CASE("describe shows a pod's identity, containers, conditions, volumes and its events") {
  json pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"name", "redis-0"},
        {"namespace", "default"},
        {"uid", "u1"},
        {"labels", {{"app", "redis"}, {"apps.kubernetes.io/pod-index", "0"}}},
        {"ownerReferences", {{{"kind", "StatefulSet"}, {"name", "redis"}, {"controller", true}}}}}},
      {"spec",
       {{"containers",
         {{{"name", "redis"},
           {"image", "redis:7.0"},
           {"ports", {{{"containerPort", 6379}}}},
           {"volumeMounts", {{{"name", "data"}, {"mountPath", "/data"}}}}}}},
        {"volumes",
         {{{"name", "data"}, {"persistentVolumeClaim", {{"claimName", "data-redis-0"}}}}}}}},
      {"status",
       {{"phase", "Running"},
        {"podIP", "127.64.0.2"},
        {"conditions", {{{"type", "Ready"}, {"status", "True"}}}},
        {"containerStatuses",
         {{{"name", "redis"},
           {"ready", true},
           {"restartCount", 0},
           {"state", {{"running", {{"startedAt", "2024-01-01T00:00:01Z"}}}}}}}}}}};
  json events = {{"items",
                  {{{"involvedObject", {{"uid", "u1"}, {"kind", "Pod"}, {"name", "redis-0"}}},
                    {"type", "Normal"},
                    {"reason", "Started"},
                    {"lastTimestamp", "2024-01-01T00:00:02Z"},
                    {"firstTimestamp", "2024-01-01T00:00:02Z"},
                    {"source", {{"component", "kubelet"}}},
                    {"message", "Started container redis"}},
                   {{"involvedObject", {{"uid", "u1"}, {"kind", "Pod"}, {"name", "redis-0"}}},
                    {"type", "Normal"},
                    {"reason", "Scheduled"},
                    {"firstTimestamp", "2024-01-01T00:00:00Z"},
                    {"lastTimestamp", "2024-01-01T00:00:00Z"},
                    {"source", {{"component", "kinda"}}},
                    {"message", "Successfully assigned default/redis-0"}},
                   {{"involvedObject", {{"uid", "other"}, {"kind", "Pod"}, {"name", "redis-1"}}},
                    {"reason", "Unrelated"}}}}};
  DescribeContext context;
  context.events = events_about(pod, events);
  context.now = at("2024-01-01T00:00:10Z");
  REQUIRE(context.events.size() == 2);
  CHECK(context.events[0]["reason"] == "Scheduled");
  std::string text = describe(*kinda::api::find_resource("pods"), pod, context);
  CHECK(text.find("Name:           redis-0\n") == 0);
  CHECK(text.find("Labels:         app=redis\n                apps.kubernetes.io/pod-index=0\n") !=
        std::string::npos);
  CHECK(text.find("Annotations:    <none>\n") != std::string::npos);
  CHECK(text.find("Controlled By:  StatefulSet/redis\n") != std::string::npos);
  CHECK(text.find("    Image:          redis:7.0\n    Port:           6379/TCP\n") !=
        std::string::npos);
  CHECK(text.find("      /data from data (rw)\n") != std::string::npos);
  CHECK(text.find("  Type    Status\n  Ready   True \n") != std::string::npos);
  CHECK(text.find("    ClaimName:  data-redis-0\n") != std::string::npos);
  CHECK(text.find("  Type    Reason     Age   From     Message\n"
                  "  ----    ------     ----  ----     -------\n"
                  "  Normal  Scheduled  10s   kinda    Successfully assigned default/redis-0\n"
                  "  Normal  Started    8s    kubelet  Started container redis\n") !=
        std::string::npos);
}

TEST_CASE("describe of a statefulset counts its pods and lists claim templates") {
  json set = {{"metadata", {{"name", "redis"}, {"namespace", "default"}, {"uid", "s1"}}},
              {"spec",
               {{"replicas", 2},
                {"selector", {{"matchLabels", {{"app", "redis"}}}}},
                {"template",
                 {{"metadata", {{"labels", {{"app", "redis"}}}}},
                  {"spec", {{"containers", {{{"name", "redis"}, {"image", "redis:7"}}}}}}}},
                {"volumeClaimTemplates",
                 {{{"metadata", {{"name", "data"}}},
                   {"spec",
                    {{"accessModes", {"ReadWriteOnce"}},
                     {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}}}}}},
              {"status", {{"replicas", 2}}}};
  json owned = {{"metadata", {{"ownerReferences", {{{"uid", "s1"}, {"controller", true}}}}}},
                {"status", {{"phase", "Running"}}}};
  json pending = owned;
  pending["status"]["phase"] = "Pending";
  DescribeContext context;
  context.pods = {owned, pending};
  std::string text = describe(*kinda::api::find_resource("sts"), set, context);
  CHECK(text.find("Replicas:           2 desired | 2 total\n") != std::string::npos);
  CHECK(text.find("Pods Status:        1 Running / 1 Waiting / 0 Succeeded / 0 Failed\n") !=
        std::string::npos);
  CHECK(text.find("Volume Claims:\n  Name:          data\n") != std::string::npos);
  CHECK(text.find("  Access Modes:  [ReadWriteOnce]\n") != std::string::npos);
  CHECK(text.find("Events:          <none>\n") != std::string::npos);
}
