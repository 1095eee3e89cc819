// kubectl's rollout output for StatefulSets and kinda's additions to the tables: the status
// viewer's messages, history and rollback choices, controllerrevisions, claims and events rows.
#include <catch2/catch.hpp>

#include "api/resources.hpp"
#include "cli/printers/printers.hpp"
#include "cli/rollout_history.hpp"
#include "cli/rollout_status.hpp"
#include "tests/unit/support/printer_fixtures.hpp"

using namespace kinda::cli;
using nlohmann::json;

namespace {

using printer_test::at;
using printer_test::resource;

json rolling_set(json status, json strategy = {{"type", "RollingUpdate"},
                                               {"rollingUpdate", {{"partition", 0}}}}) {
  return {{"metadata", {{"name", "web"}, {"generation", 2}, {"uid", "set-uid"}}},
          {"spec", {{"replicas", 3}, {"updateStrategy", strategy}}},
          {"status", status}};
}

std::string message(const json& set) {
  auto progress = statefulset_rollout_status(set);
  REQUIRE(progress);
  return progress->message;
}

bool done(const json& set) {
  auto progress = statefulset_rollout_status(set);
  REQUIRE(progress);
  return progress->done;
}

json revision(const std::string& name, int number, const std::string& image,
              const std::string& owner = "set-uid") {
  json tmpl = {{"metadata", {{"labels", {{"app", "web"}}}}},
               {"spec", {{"containers", {{{"name", "web"}, {"image", image}}}}}},
               {"$patch", "replace"}};
  return {{"metadata",
           {{"name", name},
            {"creationTimestamp", "2024-01-01T00:00:00Z"},
            {"ownerReferences",
             {{{"apiVersion", "apps/v1"},
               {"kind", "StatefulSet"},
               {"name", "web"},
               {"uid", owner},
               {"controller", true}}}}}},
          {"revision", number},
          {"data", {{"spec", {{"template", tmpl}}}}}};
}

}  // namespace

TEST_CASE("rollout status waits for the controller to observe the latest generation") {
  CHECK(message(rolling_set({{"observedGeneration", 1}})) ==
        "Waiting for statefulset spec update to be observed...\n");
  CHECK(message(rolling_set(json::object())) ==
        "Waiting for statefulset spec update to be observed...\n");
  CHECK_FALSE(done(rolling_set({{"observedGeneration", 1}})));
}

TEST_CASE("rollout status waits for every replica to be ready") {
  json set = rolling_set({{"observedGeneration", 2}, {"readyReplicas", 1}});
  CHECK(message(set) == "Waiting for 2 pods to be ready...\n");
  CHECK_FALSE(done(set));
}

TEST_CASE("with a partition, rollout status counts updated pods above it") {
  json strategy = {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 1}}}};
  json waiting = rolling_set(
      {{"observedGeneration", 2}, {"readyReplicas", 3}, {"updatedReplicas", 1}}, strategy);
  CHECK(message(waiting) ==
        "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n");
  json complete = rolling_set(
      {{"observedGeneration", 2}, {"readyReplicas", 3}, {"updatedReplicas", 2}}, strategy);
  CHECK(message(complete) == "partitioned roll out complete: 2 new pods have been updated...\n");
  CHECK(done(complete));
}

TEST_CASE("without rollingUpdate, rollout status compares current and update revisions") {
  json strategy = {{"type", "RollingUpdate"}};
  json rolling = rolling_set({{"observedGeneration", 2},
                              {"readyReplicas", 3},
                              {"updatedReplicas", 1},
                              {"currentRevision", "web-aaa"},
                              {"updateRevision", "web-bbb"}},
                             strategy);
  CHECK(message(rolling) ==
        "waiting for statefulset rolling update to complete 1 pods at revision web-bbb...\n");
  CHECK_FALSE(done(rolling));
  json complete = rolling_set({{"observedGeneration", 2},
                               {"readyReplicas", 3},
                               {"currentReplicas", 3},
                               {"currentRevision", "web-bbb"},
                               {"updateRevision", "web-bbb"}},
                              strategy);
  CHECK(message(complete) == "statefulset rolling update complete 3 pods at revision web-bbb...\n");
  CHECK(done(complete));
}

TEST_CASE("rollout status refuses OnDelete sets") {
  auto progress =
      statefulset_rollout_status(rolling_set({{"observedGeneration", 2}}, {{"type", "OnDelete"}}));
  REQUIRE_FALSE(progress);
  CHECK(progress.error().message ==
        "rollout status is only available for RollingUpdate strategy type");
}

TEST_CASE("history lists the set's own revisions in order with their change causes") {
  json second = revision("web-b", 2, "nginx:1.25");
  second["metadata"]["annotations"] = {{"kubernetes.io/change-cause", "kinda patch image"}};
  json list = {
      {"items",
       {second, revision("web-a", 1, "nginx:1.24"), revision("other-x", 7, "redis", "other-uid")}}};
  auto revisions = owned_revisions(rolling_set(json::object()), list);
  REQUIRE(revisions.size() == 2);
  CHECK(history_table(revisions) ==
        "REVISION  CHANGE-CAUSE\n"
        "1         <none>\n"
        "2         kinda patch image\n");
  CHECK(history_table({}) == "No rollout history found.");
  CHECK(revision_numbered(revisions, 2)->at("metadata").at("name") == "web-b");
  CHECK(revision_numbered(revisions, 5).error().message == "unable to find the specified revision");
}

TEST_CASE("undo picks the previous revision or the one asked for, with kubectl's errors") {
  std::vector<json> revisions = {revision("web-a", 1, "nginx:1.24"),
                                 revision("web-b", 2, "nginx:1.25"),
                                 revision("web-c", 3, "nginx:1.26")};
  CHECK(rollback_target(revisions, 0)->at("revision") == 2);
  CHECK(rollback_target(revisions, 1)->at("revision") == 1);
  CHECK(rollback_target(revisions, 9).error().message ==
        "unable to find specified revision 9 in history");
  CHECK(rollback_target(revisions, -1).error().message ==
        "unable to find specified revision -1 in history");
  CHECK(rollback_target({revisions[0]}, 0).error().message == "no last revision to roll back to");
  CHECK(rollback_target({}, 0).error().message == "no last revision to roll back to");
}

TEST_CASE("a revision's data restores the template it recorded") {
  json set = rolling_set(json::object());
  set["spec"]["template"] = {
      {"metadata", {{"labels", {{"app", "web"}}}}},
      {"spec", {{"containers", {{{"name", "web"}, {"image", "nginx:1.24"}}}}}}};
  CHECK(template_patch(set) == revision("web-a", 1, "nginx:1.24")["data"]);
  CHECK(template_patch(set) != revision("web-b", 2, "nginx:1.25")["data"]);
  auto back = set_at_revision(set, revision("web-b", 2, "nginx:1.25"));
  REQUIRE(back);
  CHECK((*back)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25");
  CHECK((*back)["spec"]["template"].contains("$patch") == false);
  CHECK((*back)["spec"]["replicas"] == 3);
}

TEST_CASE("restart stamps the pod template with kubectl's restartedAt annotation") {
  CHECK(restart_patch("2024-05-01T10:00:00Z") ==
        json::parse(R"({"spec":{"template":{"metadata":{"annotations":
            {"kubectl.kubernetes.io/restartedAt":"2024-05-01T10:00:00Z"}}}}})"));
  std::string stamp = local_rfc3339(std::chrono::system_clock::now());
  CHECK(stamp.size() >= 20);
  CHECK(stamp[10] == 'T');
  CHECK((stamp.back() == 'Z' || stamp[stamp.size() - 3] == ':'));
}

TEST_CASE("controllerrevisions print NAME CONTROLLER REVISION AGE") {
  TableOptions options;
  options.now = at("2024-01-01T00:01:00Z");
  CHECK(table_header(resource("controllerrevision"), options) ==
        Row{"NAME", "CONTROLLER", "REVISION", "AGE"});
  CHECK(table_row(resource("controllerrevisions"), revision("web-7d4b9c", 2, "nginx"), options) ==
        Row{"web-7d4b9c", "statefulset.apps/web", "2", "60s"});
  json orphan = {{"metadata", {{"name", "x"}}}, {"revision", 1}};
  CHECK(table_row(resource("controllerrevisions"), orphan, options).at(1) == "<none>");
}

TEST_CASE("claims add USED BY and DISK after kubectl's columns") {
  TableOptions options;
  options.now = at("2024-01-01T00:00:10Z");
  json claim = {{"metadata",
                 {{"name", "data-web-0"},
                  {"namespace", "default"},
                  {"creationTimestamp", "2024-01-01T00:00:00Z"}}},
                {"status", {{"phase", "Bound"}}}};
  json pod = {{"metadata", {{"name", "web-0"}, {"namespace", "default"}}},
              {"spec",
               {{"volumes",
                 {{{"name", "data"}, {"persistentVolumeClaim", {{"claimName", "data-web-0"}}}}}}}}};
  ClaimUsage usage;
  usage.pods = {pod};
  usage.disk_bytes["default/data-web-0"] = 12 * 1024;
  options.claims = &usage;
  CHECK(table_header(resource("pvc"), options) ==
        Row{"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS", "AGE", "USED BY", "DISK"});
  CHECK(table_row(resource("pvc"), claim, options) ==
        Row{"data-web-0", "Bound", "", "", "", "", "<unset>", "10s", "web-0", "12Ki"});
  usage.pods.clear();
  usage.disk_bytes["default/data-web-0"] = std::nullopt;
  CHECK(table_row(resource("pvc"), claim, options) ==
        Row{"data-web-0", "Bound", "", "", "", "", "<unset>", "10s", "<orphaned>", "-"});
  options.wide = true;
  CHECK(table_header(resource("pvc"), options).back() == "DISK");
  CHECK(table_row(resource("pvc"), claim, options).at(8) == "Filesystem");
}

TEST_CASE("sizes print in binary units") {
  CHECK(format_bytes(0) == "0");
  CHECK(format_bytes(512) == "512");
  CHECK(format_bytes(12 * 1024) == "12Ki");
  CHECK(format_bytes(1536 * 1024) == "1.5Mi");
  CHECK(format_bytes(3ULL << 30) == "3Gi");
}

TEST_CASE("repeated events show (xN over FIRST) and events sort by time then name") {
  TableOptions options;
  options.now = at("2024-01-01T00:00:20Z");
  json repeated = {{"metadata", {{"name", "b"}}},
                   {"firstTimestamp", "2024-01-01T00:00:10Z"},
                   {"lastTimestamp", "2024-01-01T00:00:17Z"},
                   {"count", 4},
                   {"type", "Warning"},
                   {"reason", "BackOff"},
                   {"involvedObject", {{"kind", "Pod"}, {"name", "web-0"}}},
                   {"message", "Back-off restarting failed container\n"}};
  CHECK(table_row(resource("events"), repeated, options) ==
        Row{"3s (x4 over 10s)", "Warning", "BackOff", "pod/web-0",
            "Back-off restarting failed container"});
  json first = {{"metadata", {{"name", "c"}}}, {"firstTimestamp", "2024-01-01T00:00:01Z"}};
  json same_time = {{"metadata", {{"name", "a"}}}, {"lastTimestamp", "2024-01-01T00:00:17Z"}};
  std::vector<json> events = {repeated, first, same_time};
  sort_events(events);
  CHECK(events[0]["metadata"]["name"] == "c");
  CHECK(events[1]["metadata"]["name"] == "a");
  CHECK(events[2]["metadata"]["name"] == "b");
}

TEST_CASE("the pod template block follows kubectl's DescribePodTemplate") {
  json tmpl = json::parse(R"({
    "metadata": {"labels": {"app": "web", "tier": "front"},
                 "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-05-01T10:00:00Z"}},
    "spec": {
      "containers": [{
        "name": "web", "image": "nginx:1.25",
        "command": ["sh", "-c", "exec nginx"],
        "ports": [{"containerPort": 80, "protocol": "TCP"}],
        "readinessProbe": {"exec": {"command": ["cat", "/ready"]}, "initialDelaySeconds": 0,
                           "timeoutSeconds": 1, "periodSeconds": 1, "successThreshold": 1,
                           "failureThreshold": 3},
        "env": [{"name": "MODE", "value": "fast"},
                {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
        "volumeMounts": [{"name": "data", "mountPath": "/data"}]
      }],
      "volumes": [{"name": "scratch", "emptyDir": {}}]
    }
  })");
  CHECK(describe_pod_template(tmpl) ==
        "Pod Template:\n"
        "  Labels:\tapp=web\n"
        "\ttier=front\n"
        "  Annotations:\tkubectl.kubernetes.io/restartedAt: 2024-05-01T10:00:00Z\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:\tnginx:1.25\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Command:\n"
        "      sh\n"
        "      -c\n"
        "      exec nginx\n"
        "    Readiness:\texec [cat /ready] delay=0s timeout=1s period=1s #success=1 #failure=3\n"
        "    Environment:\n"
        "      MODE:\tfast\n"
        "      POD:\t (v1:metadata.name)\n"
        "    Mounts:\n"
        "      /data from data (rw)\n"
        "  Volumes:\n"
        "   scratch:\n"
        "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:\t\n"
        "    SizeLimit:\t<unset>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n");
}

TEST_CASE("describe of a statefulset shows its strategy and the pod template in kubectl's layout") {
  json set = json::parse(R"({
    "metadata": {"name": "web", "namespace": "default", "uid": "s1",
                 "creationTimestamp": "2024-01-01T00:00:00Z"},
    "spec": {"replicas": 3,
             "selector": {"matchLabels": {"app": "web"}},
             "updateStrategy": {"type": "RollingUpdate",
                                "rollingUpdate": {"partition": 1, "maxUnavailable": 1}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "web", "image": "nginx"}]}}},
    "status": {"replicas": 3}
  })");
  std::string text = describe(resource("sts"), set, DescribeContext{});
  CHECK(text.find("Selector:           app=web\n") != std::string::npos);
  CHECK(text.find("Update Strategy:    RollingUpdate\n"
                  "  Partition:        1\n"
                  "  MaxUnavailable:   1\n") != std::string::npos);
  CHECK(text.find("Pod Template:\n  Labels:  app=web\n  Containers:\n   web:\n") !=
        std::string::npos);
  CHECK(text.find("    Image:         nginx\n") != std::string::npos);
  CHECK(text.find("Volume Claims:     <none>\n") != std::string::npos);
}
