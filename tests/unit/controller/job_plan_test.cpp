// The Job and CronJob controllers' decisions without a daemon: pods to make, counts, conditions,
// back-off, deadlines, pod failure policy, TTL; CronJob schedule times, names and concurrency.
#include <catch2/catch.hpp>

#include "api/timestamps.hpp"
#include "controller/cronjob/cronjob_plan.hpp"
#include "controller/job/job_plan.hpp"

using namespace kinda::controller;
using nlohmann::json;
using namespace std::chrono;

namespace job_plan_test {

const auto kNow = *kinda::api::parse_rfc3339("2024-03-01T10:00:00Z");

json make_job(json spec_extra = json::object()) {
  json spec = {{"completions", 3},
               {"parallelism", 2},
               {"backoffLimit", 6},
               {"completionMode", "NonIndexed"},
               {"selector", {{"matchLabels", {{"batch.kubernetes.io/controller-uid", "j-1"}}}}},
               {"template",
                {{"metadata", {{"labels", {{"batch.kubernetes.io/controller-uid", "j-1"}}}}},
                 {"spec",
                  {{"restartPolicy", "Never"},
                   {"containers", {{{"name", "main"}, {"image", "busybox"}}}}}}}}};
  for (auto& [k, v] : spec_extra.items()) spec[k] = v;
  return {{"metadata", {{"name", "pi"}, {"namespace", "default"}, {"uid", "j-1"}}},
          {"spec", spec},
          {"status", {{"startTime", "2024-03-01T09:59:00Z"}}}};
}

json pod(const json& job, const std::string& name, const std::string& phase,
         std::optional<long long> index = std::nullopt, int exit_code = 0) {
  json p = job_pod(job, index);
  p["metadata"]["name"] = name;
  p["metadata"]["namespace"] = "default";
  p["status"] = {{"phase", phase}};
  if (phase == "Succeeded" || phase == "Failed")
    p["status"]["containerStatuses"] = {
        {{"name", "main"},
         {"restartCount", 0},
         {"state",
          {{"terminated", {{"exitCode", exit_code}, {"finishedAt", "2024-03-01T09:59:30Z"}}}}}}};
  return p;
}

bool has_condition(const json& status, const std::string& type, const std::string& reason = "") {
  for (const auto& c : status.value("conditions", json::array()))
    if (c["type"] == type && c["status"] == "True" && (reason.empty() || c["reason"] == reason))
      return true;
  return false;
}

TEST_CASE("job: parallelism caps the active pods, completions cap the total") {
  json job = make_job();
  auto plan = plan_job(job, {}, kNow, 1.0);
  CHECK(plan.create.size() == 2);
  CHECK(plan.create[0]["metadata"]["generateName"] == "pi-");
  CHECK(plan.create[0]["metadata"]["ownerReferences"][0]["kind"] == "Job");
  CHECK(plan.create[0]["metadata"]["ownerReferences"][0]["controller"] == true);
  CHECK(plan.create[0]["metadata"]["ownerReferences"][0]["blockOwnerDeletion"] == true);

  std::vector<json> pods = {pod(job, "pi-a", "Succeeded"), pod(job, "pi-b", "Running")};
  plan = plan_job(job, pods, kNow, 1.0);
  CHECK(plan.create.size() == 1);  // 1 running + 1 new = 2; 1 done + 2 = 3 completions
  CHECK(plan.status["active"] == 1);
  CHECK(plan.status["succeeded"] == 1);

  pods = {pod(job, "pi-a", "Succeeded"), pod(job, "pi-b", "Succeeded"),
          pod(job, "pi-c", "Running")};
  CHECK(plan_job(job, pods, kNow, 1.0).create.empty());  // only one completion left, and it runs
}

TEST_CASE("job: success goes through SuccessCriteriaMet to Complete") {
  json job = make_job();
  std::vector<json> pods = {pod(job, "pi-a", "Succeeded"), pod(job, "pi-b", "Succeeded"),
                            pod(job, "pi-c", "Succeeded")};
  auto plan = plan_job(job, pods, kNow, 1.0);
  CHECK(has_condition(plan.status, "SuccessCriteriaMet", "CompletionsReached"));
  CHECK(has_condition(plan.status, "Complete", "CompletionsReached"));
  CHECK(plan.status["completionTime"] == "2024-03-01T10:00:00Z");
  REQUIRE(plan.events.size() == 1);
  CHECK(plan.events[0].reason == "Completed");
  CHECK(plan.events[0].message == "Job completed");
}

TEST_CASE("job: Indexed pods carry their index; completedIndexes is a range list") {
  json job = make_job({{"completionMode", "Indexed"}});
  auto plan = plan_job(job, {}, kNow, 1.0);
  REQUIRE(plan.create.size() == 2);
  CHECK(plan.create[0]["metadata"]["generateName"] == "pi-0-");
  CHECK(plan.create[1]["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] ==
        "1");
  CHECK(plan.create[1]["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "1");
  CHECK(plan.create[0]["spec"]["containers"][0]["env"][0]["name"] == "JOB_COMPLETION_INDEX");
  std::vector<json> pods = {pod(job, "pi-0-a", "Succeeded", 0), pod(job, "pi-2-a", "Succeeded", 2),
                            pod(job, "pi-1-a", "Failed", 1, 1)};
  plan = plan_job(job, pods, kNow + hours(1), 1.0);
  CHECK(plan.status["completedIndexes"] == "0,2");
  REQUIRE(plan.create.size() == 1);
  CHECK(plan.create[0]["metadata"]["generateName"] == "pi-1-");
  CHECK(format_indexes({0, 1, 2, 5, 7, 8}) == "0-2,5,7-8");
  CHECK(parse_indexes("0-2,5,7-8", 8) == std::set<long long>{0, 1, 2, 5, 7});
}

TEST_CASE("job: backoffLimit, the scaled back-off, and the failure conditions") {
  json job = make_job({{"backoffLimit", 1}, {"completions", 1}, {"parallelism", 1}});
  std::vector<json> pods = {pod(job, "pi-a", "Failed", std::nullopt, 1)};
  // 10 s after a failure at 09:59:30 the next pod may come; at time scale 0.1 that is 1 s.
  auto early = plan_job(job, pods, *kinda::api::parse_rfc3339("2024-03-01T09:59:30Z"), 1.0);
  CHECK(early.create.empty());
  CHECK(early.requeue_after.count() > 9000);
  auto scaled = plan_job(job, pods, *kinda::api::parse_rfc3339("2024-03-01T09:59:32Z"), 0.1);
  CHECK(scaled.create.size() == 1);

  pods.push_back(pod(job, "pi-b", "Failed", std::nullopt, 1));
  auto plan = plan_job(job, pods, kNow, 1.0);
  CHECK(has_condition(plan.status, "FailureTarget", "BackoffLimitExceeded"));
  CHECK(has_condition(plan.status, "Failed", "BackoffLimitExceeded"));
  CHECK(plan.status["failed"] == 2);
  CHECK_FALSE(plan.status.contains("completionTime"));
  REQUIRE(plan.events.size() == 1);
  CHECK(plan.events[0].reason == "BackoffLimitExceeded");
  CHECK(plan.events[0].message == "Job has reached the specified backoff limit");
  CHECK(plan.create.empty());
}

TEST_CASE("job: OnFailure counts container restarts toward backoffLimit") {
  json job = make_job({{"backoffLimit", 2}, {"completions", 1}, {"parallelism", 1}});
  job["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure";
  json running = pod(job, "pi-a", "Running");
  running["status"]["containerStatuses"] = {{{"name", "main"}, {"restartCount", 2}}};
  auto plan = plan_job(job, {running}, kNow, 1.0);
  CHECK(has_condition(plan.status, "FailureTarget", "BackoffLimitExceeded"));
  CHECK(plan.remove == std::vector<std::string>{"pi-a"});
  CHECK_FALSE(has_condition(plan.status, "Failed"));  // not until the pod is gone
}

TEST_CASE("job: activeDeadlineSeconds (scaled) fails the job and deletes its pods") {
  json job = make_job({{"activeDeadlineSeconds", 100}});
  std::vector<json> pods = {pod(job, "pi-a", "Running"), pod(job, "pi-b", "Running")};
  auto before = plan_job(job, pods, kNow, 1.0);  // 60 s in
  CHECK_FALSE(has_condition(before.status, "FailureTarget"));
  CHECK(before.requeue_after.count() > 39000);
  auto after = plan_job(job, pods, kNow, 0.5);  // 60 s in, the deadline was 50 s
  CHECK(has_condition(after.status, "FailureTarget", "DeadlineExceeded"));
  CHECK(after.remove.size() == 2);
  CHECK(after.status["failed"] == 2);  // the stopped pods count as failed
  auto done = plan_job(job, {}, kNow, 0.5);
  CHECK(has_condition(done.status, "Failed", "DeadlineExceeded"));
  CHECK(done.events.at(0).message == "Job was active longer than specified deadline");
}

TEST_CASE("job: podFailurePolicy FailJob on an exit code, Ignore on DisruptionTarget") {
  json policy = {
      {"rules",
       {{{"action", "FailJob"},
         {"onExitCodes", {{"containerName", "main"}, {"operator", "In"}, {"values", {42}}}}},
        {{"action", "Ignore"},
         {"onPodConditions", {{{"type", "DisruptionTarget"}, {"status", "True"}}}}}}}};
  json job = make_job({{"podFailurePolicy", policy}, {"backoffLimit", 0}});
  json disrupted = pod(job, "pi-a", "Failed", std::nullopt, 137);
  disrupted["status"]["conditions"] = {{{"type", "DisruptionTarget"}, {"status", "True"}}};
  auto plan = plan_job(job, {disrupted}, kNow, 1.0);
  CHECK(plan.status["failed"] == 0);
  CHECK(plan.create.size() == 2);  // replaced, not counted

  auto fatal = plan_job(job, {pod(job, "pi-b", "Failed", std::nullopt, 42)}, kNow, 1.0);
  CHECK(has_condition(fatal.status, "Failed", "PodFailurePolicy"));
  CHECK(fatal.events.at(0).message ==
        "Container main for pod default/pi-b failed with exit code 42 matching FailJob rule at "
        "index 0");
}

TEST_CASE("job: suspend deletes active pods; ttlSecondsAfterFinished deletes the job") {
  json job = make_job({{"suspend", true}});
  auto plan = plan_job(job, {pod(job, "pi-a", "Running")}, kNow, 1.0);
  CHECK(plan.remove == std::vector<std::string>{"pi-a"});
  CHECK(has_condition(plan.status, "Suspended", "JobSuspended"));
  CHECK(plan.create.empty());

  json done = make_job({{"ttlSecondsAfterFinished", 100}});
  done["status"]["conditions"] = {
      {{"type", "Complete"}, {"status", "True"}, {"lastTransitionTime", "2024-03-01T09:59:30Z"}}};
  CHECK_FALSE(plan_job(done, {}, kNow, 1.0).delete_job);
  CHECK(plan_job(done, {}, kNow, 0.1).delete_job);  // 10 real seconds at scale 0.1
}

TEST_CASE("cronjob: scaled clock, job names, Forbid and history limits") {
  const auto created = *kinda::api::parse_rfc3339("2024-03-01T10:00:00Z");
  json cj = {
      {"metadata",
       {{"name", "hello"},
        {"namespace", "default"},
        {"uid", "c-1"},
        {"creationTimestamp", "2024-03-01T10:00:00Z"}}},
      {"spec",
       {{"schedule", "*/1 * * * *"},
        {"concurrencyPolicy", "Forbid"},
        {"successfulJobsHistoryLimit", 1},
        {"failedJobsHistoryLimit", 1},
        {"jobTemplate", {{"spec", {{"template", {{"spec", {{"restartPolicy", "Never"}}}}}}}}}}}};
  // At scale 0.01 a scaled minute is 0.6 real seconds: 1 s after creation one tick is due.
  auto plan = plan_cronjob(cj, {}, created + milliseconds(1000), 0.01, std::nullopt);
  REQUIRE(plan.create);
  const long long minute =
      duration_cast<minutes>(floor<seconds>(created).time_since_epoch()).count() + 1;
  CHECK(kinda::api::name_of(*plan.create) == "hello-" + std::to_string(minute));
  CHECK((*plan.create)["metadata"]["ownerReferences"][0]["kind"] == "CronJob");
  CHECK(plan.status["lastScheduleTime"] == "2024-03-01T10:00:00Z");  // 0.6 s, whole seconds
  CHECK(plan.requeue_after.count() > 0);
  CHECK(plan.requeue_after.count() <= 600);

  json running = *plan.create;
  running["metadata"]["uid"] = "j-1";
  auto forbid = plan_cronjob(cj, {running}, created + milliseconds(2000), 0.01, plan.scheduled);
  CHECK_FALSE(forbid.create);
  CHECK(forbid.events.at(0).reason == "JobAlreadyActive");
  CHECK(forbid.status["active"].size() == 1);

  json a = running, b = running;
  a["metadata"]["name"] = "hello-" + std::to_string(minute);
  b["metadata"]["name"] = "hello-" + std::to_string(minute + 1);
  for (json* j : {&a, &b})
    j->operator[]("status")["conditions"] = {{{"type", "Complete"}, {"status", "True"}}};
  a["status"]["startTime"] = "2024-03-01T10:00:01Z";
  b["status"]["startTime"] = "2024-03-01T10:00:02Z";
  auto trimmed = plan_cronjob(cj, {a, b}, created + milliseconds(2500), 0.01, plan.scheduled);
  CHECK(trimmed.remove == std::vector<std::string>{kinda::api::name_of(a)});
  CHECK(trimmed.create);  // nothing active any more: the next tick runs

  cj["spec"]["suspend"] = true;
  CHECK_FALSE(plan_cronjob(cj, {}, created + seconds(10), 0.01, std::nullopt).create);
}

TEST_CASE("cronjob: the most recent of missed times, and startingDeadlineSeconds") {
  auto t = [](const char* s) { return floor<seconds>(*kinda::api::parse_rfc3339(s)); };
  auto due =
      most_recent_schedule("*/5 * * * *", t("2024-03-01T10:00:00Z"), t("2024-03-01T10:17:00Z"));
  REQUIRE(due.time);
  CHECK(kinda::api::format_rfc3339(*due.time) == "2024-03-01T10:15:00Z");
  CHECK(due.missed == 2);
  CHECK_FALSE(
      most_recent_schedule("0 * * * *", t("2024-03-01T10:00:00Z"), t("2024-03-01T10:59:00Z")).time);
}

TEST_CASE("job: backoffLimitPerIndex fails an index, maxFailedIndexes the job") {
  json job = make_job({{"completionMode", "Indexed"},
                       {"backoffLimitPerIndex", 0},
                       {"backoffLimit", 2147483647},
                       {"parallelism", 3}});
  std::vector<json> pods = {pod(job, "pi-0-a", "Succeeded", 0), pod(job, "pi-1-a", "Failed", 1, 1),
                            pod(job, "pi-2-a", "Running", 2)};
  auto plan = plan_job(job, pods, kNow + hours(1), 1.0);
  CHECK(plan.status["failedIndexes"] == "1");
  CHECK(plan.create.empty());  // index 1 is not retried
  pods[2] = pod(job, "pi-2-a", "Succeeded", 2);
  auto done = plan_job(job, pods, kNow + hours(1), 1.0);
  CHECK(has_condition(done.status, "Failed", "FailedIndexes"));
  job["spec"]["maxFailedIndexes"] = 0;
  pods[2] = pod(job, "pi-2-a", "Running", 2);
  auto most = plan_job(job, pods, kNow + hours(1), 1.0);
  CHECK(has_condition(most.status, "FailureTarget", "MaxFailedIndexesExceeded"));
}

TEST_CASE("job: successPolicy ends an Indexed job when its rule is met") {
  json job = make_job({{"completionMode", "Indexed"},
                       {"parallelism", 3},
                       {"successPolicy", {{"rules", {{{"succeededIndexes", "0"}}}}}}});
  std::vector<json> pods = {pod(job, "pi-0-a", "Succeeded", 0), pod(job, "pi-1-a", "Running", 1)};
  auto plan = plan_job(job, pods, kNow, 1.0);
  CHECK(has_condition(plan.status, "SuccessCriteriaMet", "SuccessPolicy"));
  CHECK(plan.remove == std::vector<std::string>{"pi-1-a"});
  auto done = plan_job(job, {pods[0]}, kNow, 1.0);
  CHECK(has_condition(done.status, "Complete", "SuccessPolicy"));
}

}  // namespace job_plan_test
