// batch/v1 at the API server: cron schedules and their next times, Job and CronJob defaults and
// validation messages with their field paths.
#include <catch2/catch.hpp>

#include "api/cron_schedule.hpp"
#include "api/defaults.hpp"
#include "api/job_validation.hpp"
#include "api/timestamps.hpp"
#include "api/validation.hpp"

using namespace kinda::api;
using nlohmann::json;
using namespace std::chrono;

namespace job_validation_test {

sys_seconds at(const std::string& text) {
  return floor<seconds>(*parse_rfc3339(text));
}
std::string next_of(const std::string& schedule, const std::string& after) {
  auto s = CronSchedule::parse(schedule);
  REQUIRE(s);
  auto t = s->next(at(after));
  return t ? format_rfc3339(*t) : "none";
}

json job(json spec) {
  json j = {{"apiVersion", "batch/v1"},
            {"kind", "Job"},
            {"metadata", {{"name", "pi"}, {"namespace", "default"}, {"uid", "u-1"}}},
            {"spec", spec}};
  return j;
}
json pod_template(const std::string& restart = "Never") {
  return {
      {"spec",
       {{"restartPolicy", restart}, {"containers", {{{"name", "main"}, {"image", "busybox"}}}}}}};
}
std::vector<std::string> messages(const std::vector<kinda::FieldCause>& causes) {
  std::vector<std::string> out;
  for (const auto& c : causes) out.push_back(c.field + ": " + c.message);
  return out;
}
bool has_message(const std::vector<kinda::FieldCause>& causes, const std::string& text) {
  for (const auto& m : messages(causes))
    if (m.find(text) != std::string::npos) return true;
  return false;
}

TEST_CASE("cron: every minute, steps, ranges, lists and descriptors") {
  CHECK(next_of("*/1 * * * *", "2024-03-01T10:00:30Z") == "2024-03-01T10:01:00Z");
  CHECK(next_of("* * * * *", "2024-03-01T10:01:00Z") == "2024-03-01T10:02:00Z");
  CHECK(next_of("*/15 * * * *", "2024-03-01T10:16:00Z") == "2024-03-01T10:30:00Z");
  CHECK(next_of("5 4 * * *", "2024-03-01T10:00:00Z") == "2024-03-02T04:05:00Z");
  CHECK(next_of("0 9-17/4 * * *", "2024-03-01T10:00:00Z") == "2024-03-01T13:00:00Z");
  CHECK(next_of("0,30 * * * *", "2024-03-01T10:10:00Z") == "2024-03-01T10:30:00Z");
  CHECK(next_of("@hourly", "2024-03-01T10:10:00Z") == "2024-03-01T11:00:00Z");
  CHECK(next_of("@daily", "2024-03-01T10:10:00Z") == "2024-03-02T00:00:00Z");
  CHECK(next_of("@weekly", "2024-03-01T10:10:00Z") == "2024-03-03T00:00:00Z");  // a Sunday
  CHECK(next_of("@monthly", "2024-03-01T10:10:00Z") == "2024-04-01T00:00:00Z");
  CHECK(next_of("@yearly", "2024-03-01T10:10:00Z") == "2025-01-01T00:00:00Z");
  CHECK(next_of("0 0 29 feb *", "2024-03-01T00:00:00Z") == "2028-02-29T00:00:00Z");
  CHECK(next_of("0 12 * * mon-fri", "2024-03-02T00:00:00Z") == "2024-03-04T12:00:00Z");
  CHECK(next_of("0 0 * * 7", "2024-03-01T00:00:00Z") == "2024-03-03T00:00:00Z");  // 7 = Sunday
  // Both day fields restricted: either matches (the 13th, or any Friday).
  CHECK(next_of("0 0 13 * 5", "2024-03-01T00:00:00Z") == "2024-03-08T00:00:00Z");
  CHECK(next_of("0 0 31 2 *", "2024-01-01T00:00:00Z") == "none");
}

TEST_CASE("cron: parse errors read as the controller's") {
  auto bad = [](const std::string& s) {
    auto r = CronSchedule::parse(s);
    return r ? std::string("ok") : r.error().message;
  };
  CHECK(bad("* *") == "expected exactly 5 fields, found 2: [* *]");
  CHECK(bad("60 * * * *") == "end of range (60) above maximum (59): 60");
  CHECK(bad("* * 0 * *") == "beginning of range (0) below minimum (1): 0");
  CHECK(bad("@every5m").starts_with("unrecognized descriptor"));
  CHECK(bad("TZ=UTC * * * * *").find("use timeZone instead") != std::string::npos);
  CHECK(bad("a * * * *").find("failed to parse int from a") != std::string::npos);
  CHECK(bad("5-1 * * * *").find("beyond end of range") != std::string::npos);
}

TEST_CASE("job defaults: completions, parallelism, backoffLimit, mode, generated selector") {
  json j = job({{"template", pod_template()}});
  apply_defaults(*find_resource("jobs"), j);
  CHECK(j["spec"]["completions"] == 1);
  CHECK(j["spec"]["parallelism"] == 1);
  CHECK(j["spec"]["backoffLimit"] == 6);
  CHECK(j["spec"]["completionMode"] == "NonIndexed");
  CHECK(j["spec"]["suspend"] == false);
  CHECK(j["spec"]["podReplacementPolicy"] == "TerminatingOrFailed");
  CHECK(j["spec"]["selector"]["matchLabels"][kJobControllerUidLabel] == "u-1");
  CHECK(j["spec"]["template"]["metadata"]["labels"][kJobNameLabel] == "pi");
  CHECK(j["spec"]["template"]["metadata"]["labels"]["controller-uid"] == "u-1");
  CHECK(validate_object(*find_resource("jobs"), j).empty());

  json only_parallel = job({{"parallelism", 3}, {"template", pod_template()}});
  apply_defaults(*find_resource("jobs"), only_parallel);
  CHECK_FALSE(only_parallel["spec"].contains("completions"));
  json with_policy =
      job({{"template", pod_template()},
           {"podFailurePolicy",
            {{"rules",
              {{{"action", "Ignore"}, {"onPodConditions", {{{"type", "DisruptionTarget"}}}}}}}}}});
  apply_defaults(*find_resource("jobs"), with_policy);
  CHECK(with_policy["spec"]["podReplacementPolicy"] == "Failed");
  CHECK(with_policy["spec"]["podFailurePolicy"]["rules"][0]["onPodConditions"][0]["status"] ==
        "True");
  CHECK(validate_object(*find_resource("jobs"), with_policy).empty());
}

TEST_CASE("job validation: restartPolicy, counts, Indexed, podFailurePolicy, immutability") {
  const auto& r = *find_resource("jobs");
  auto check = [&](json spec) {
    json j = job(spec);
    apply_defaults(r, j);
    return validate_object(r, j);
  };
  auto always = check({{"template", pod_template("Always")}});
  CHECK(has_message(always,
                    "spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                    "supported values: \"OnFailure\", \"Never\""));
  json no_restart = {{"template", pod_template()}};
  no_restart["template"]["spec"].erase("restartPolicy");  // defaulted to Always, then refused
  CHECK(has_message(check(no_restart), "spec.template.spec.restartPolicy: Unsupported value"));
  CHECK(has_message(check({{"template", pod_template()}, {"backoffLimit", -1}}),
                    "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"));
  CHECK(has_message(check({{"template", pod_template()}, {"activeDeadlineSeconds", 0}}),
                    "spec.activeDeadlineSeconds: Invalid value: 0: must be greater than 0"));
  CHECK(has_message(check({{"template", pod_template()}, {"completionMode", "Sometimes"}}),
                    "spec.completionMode: Unsupported value: \"Sometimes\""));
  CHECK(has_message(
      check({{"template", pod_template()}, {"parallelism", 2}, {"completionMode", "Indexed"}}),
      "spec.completions: Required value: when completion mode is Indexed"));
  auto pfp = [](json rule) { return json{{"rules", {rule}}}; };
  CHECK(has_message(
      check({{"template", pod_template()},
             {"podFailurePolicy", pfp({{"action", "Explode"},
                                       {"onExitCodes", {{"operator", "In"}, {"values", {1}}}}})}}),
      "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Explode\""));
  CHECK(has_message(
      check({{"template", pod_template()},
             {"podFailurePolicy", pfp({{"action", "FailJob"},
                                       {"onExitCodes", {{"operator", "In"}, {"values", {0}}}}})}}),
      "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must "
      "not be 0 for the In operator"));
  CHECK(has_message(
      check({{"template", pod_template()}, {"podFailurePolicy", pfp({{"action", "Count"}})}}),
      "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes "
      "and OnPodConditions is required"));
  CHECK(has_message(
      check({{"template", pod_template("OnFailure")},
             {"podFailurePolicy", pfp({{"action", "FailJob"},
                                       {"onExitCodes", {{"operator", "In"}, {"values", {3}}}}})}}),
      "only \"Never\" is supported when podFailurePolicy is specified"));

  json before = job({{"template", pod_template()}});
  apply_defaults(r, before);
  before["status"] = {{"startTime", "2024-01-01T00:00:00Z"}};
  json after = before;
  after["spec"]["template"]["spec"]["containers"][0]["image"] = "debian";
  CHECK(has_message(validate_update(r, before, after), "spec.template: Invalid value"));
  CHECK(has_message(validate_update(r, before, after), "field is immutable"));
  json more = before;
  more["spec"]["completions"] = 5;
  CHECK(has_message(validate_update(r, before, more), "spec.completions"));
  json suspended = before;
  suspended["spec"]["suspend"] = true;
  CHECK(validate_update(r, before, suspended).empty());
}

TEST_CASE("cronjob defaults and validation") {
  const auto& r = *find_resource("cronjobs");
  json cj = {{"apiVersion", "batch/v1"},
             {"kind", "CronJob"},
             {"metadata", {{"name", "hello"}, {"namespace", "default"}}},
             {"spec",
              {{"schedule", "*/1 * * * *"},
               {"jobTemplate", {{"spec", {{"template", pod_template("OnFailure")}}}}}}}};
  apply_defaults(r, cj);
  CHECK(cj["spec"]["concurrencyPolicy"] == "Allow");
  CHECK(cj["spec"]["successfulJobsHistoryLimit"] == 3);
  CHECK(cj["spec"]["failedJobsHistoryLimit"] == 1);
  CHECK(cj["spec"]["suspend"] == false);
  CHECK(validate_object(r, cj).empty());
  json bad = cj;
  bad["spec"]["schedule"] = "61 * * * *";
  CHECK(has_message(
      validate_object(r, bad),
      "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59)"));
  bad = cj;
  bad["spec"]["concurrencyPolicy"] = "Sometimes";
  CHECK(has_message(validate_object(r, bad), "spec.concurrencyPolicy: Unsupported value"));
  bad = cj;
  bad["spec"]["timeZone"] = "Mars/Olympus";
  CHECK(has_message(validate_object(r, bad), "spec.timeZone: Invalid value"));
  bad = cj;
  bad["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Always";
  CHECK(has_message(validate_object(r, bad), "spec.jobTemplate.spec.template.spec.restartPolicy"));
  bad = cj;
  bad["spec"].erase("schedule");
  CHECK(has_message(validate_object(r, bad), "spec.schedule: Required value"));
}

}  // namespace job_validation_test
