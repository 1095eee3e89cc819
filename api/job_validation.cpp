#include "api/job_validation.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "api/cron_schedule.hpp"
#include "api/decoding.hpp"
#include "api/defaults.hpp"
#include "api/labels.hpp"
#include "api/pod_validation.hpp"
#include "api/resources.hpp"
#include "api/template_metadata_validation.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr long long kMaxInt32 = 2147483647;
constexpr long long kMaxIndexedCompletions = 100000;  // completions and parallelism when Indexed

void set_default(json& object, const char* key, json value) {
  if (!object.contains(key) || object[key].is_null()) object[key] = std::move(value);
}

bool has(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && !o[key].is_null();
}

void check_count(Causes& c, const json& spec, const char* key, const std::string& path,
                 bool positive = false) {
  if (!has(spec, key)) return;
  const json& v = spec[key];
  const std::string p = path + "." + key;
  if (!v.is_number_integer()) return c.invalid(p, v, "must be an integer");
  long long n = v.get<long long>();
  if (positive && n <= 0) return c.invalid(p, v, "must be greater than 0");
  if (n < 0) return c.invalid(p, v, "must be greater than or equal to 0");
  if (n > kMaxInt32) c.invalid(p, v, "must be less than or equal to " + std::to_string(kMaxInt32));
}

void apply_job_spec_defaults(json& spec) {
  if (!spec.is_object()) return;
  if (!has(spec, "completions") && !has(spec, "parallelism")) {
    spec["completions"] = 1;
    spec["parallelism"] = 1;
  }
  set_default(spec, "parallelism", 1);
  set_default(spec, "completionMode", "NonIndexed");
  set_default(spec, "suspend", false);
  set_default(spec, "backoffLimit", has(spec, "backoffLimitPerIndex") ? kMaxInt32 : 6);
  set_default(spec, "podReplacementPolicy",
              has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
  if (has(spec, "podFailurePolicy") && spec["podFailurePolicy"].is_object() &&
      spec["podFailurePolicy"].contains("rules") && spec["podFailurePolicy"]["rules"].is_array())
    for (auto& rule : spec["podFailurePolicy"]["rules"])
      if (rule.is_object() && rule.contains("onPodConditions") &&
          rule["onPodConditions"].is_array())
        for (auto& pattern : rule["onPodConditions"])
          if (pattern.is_object()) set_default(pattern, "status", "True");
  if (has(spec, "template") && spec["template"].is_object() && spec["template"].contains("spec"))
    apply_pod_spec_defaults(spec["template"]["spec"]);
}

// The job strategy's generateSelector: the template carries the job's uid and name, and the
// selector asks for the uid.
void generate_selector(json& job) {
  auto& meta = job["metadata"];
  if (!meta.is_object() || !meta.contains("uid") || !meta["uid"].is_string()) return;
  auto& spec = job["spec"];
  if (!spec.is_object() || (has(spec, "manualSelector") && spec["manualSelector"] == true)) return;
  if (!spec.contains("template") || !spec["template"].is_object()) return;
  auto& tmeta = spec["template"]["metadata"];
  if (tmeta.is_null()) tmeta = json::object();
  if (!tmeta.is_object()) return;
  auto& labels = tmeta["labels"];
  if (labels.is_null()) labels = json::object();
  if (!labels.is_object()) return;
  const std::string uid = meta["uid"], name = meta.value("name", "");
  set_default(labels, "controller-uid", uid);
  set_default(labels, "job-name", name);
  set_default(labels, kJobControllerUidLabel, uid);
  set_default(labels, kJobNameLabel, name);
  set_default(spec, "selector", json{{"matchLabels", {{kJobControllerUidLabel, uid}}}});
}

void check_pod_failure_policy(Causes& c, const json& spec, const std::string& path) {
  const json& policy = spec["podFailurePolicy"];
  const std::string p = path + ".podFailurePolicy";
  if (!policy.is_object()) return c.invalid(p, policy, "must be an object");
  const json& rules = field(policy, "rules");
  if (rules.is_null()) return;
  if (!rules.is_array()) return c.invalid(p + ".rules", rules, "must be a list");
  if (rules.size() > 20)
    c.add(p + ".rules",
          "Too many: " + std::to_string(rules.size()) + ": must have at most 20 items",
          "FieldValueTooMany");
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string rp = index_path(p + ".rules", i);
    const json& rule = rules[i];
    if (!rule.is_object()) {
      c.invalid(rp, rule, "must be an object");
      continue;
    }
    const json& action = field(rule, "action");
    if (action.is_null())
      c.required(rp + ".action");
    else if (action != "FailJob" && action != "FailIndex" && action != "Ignore" &&
             action != "Count")
      c.unsupported(rp + ".action", action, "\"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"");
    else if (action == "FailIndex" && !has(spec, "backoffLimitPerIndex"))
      c.invalid(rp + ".action", action, "requires the backoffLimitPerIndex to be set");
    const json& codes = field(rule, "onExitCodes");
    const json& conditions = field(rule, "onPodConditions");
    const bool with_codes = !codes.is_null();
    const bool with_conditions = conditions.is_array() && !conditions.empty();
    if (with_codes == with_conditions)
      c.add(rp, "Invalid value: specifying one of OnExitCodes and OnPodConditions is required");
    if (with_codes) {
      const std::string cp = rp + ".onExitCodes";
      if (!codes.is_object()) {
        c.invalid(cp, codes, "must be an object");
        continue;
      }
      const json& op = field(codes, "operator");
      if (op.is_null())
        c.required(cp + ".operator");
      else if (op != "In" && op != "NotIn")
        c.unsupported(cp + ".operator", op, "\"In\", \"NotIn\"");
      const json& values = field(codes, "values");
      if (!values.is_array() || values.empty()) {
        c.required(cp + ".values");
      } else {
        if (values.size() > 255)
          c.add(cp + ".values",
                "Too many: " + std::to_string(values.size()) + ": must have at most 255 items",
                "FieldValueTooMany");
        long long previous = -1;
        std::set<long long> seen;
        for (size_t k = 0; k < values.size(); ++k) {
          const std::string vp = index_path(cp + ".values", k);
          if (!values[k].is_number_integer()) {
            c.invalid(vp, values[k], "must be an integer");
            continue;
          }
          long long v = values[k];
          if (!seen.insert(v).second)
            c.duplicate(vp, values[k]);
          else if (v < previous)
            c.invalid(vp, values[k], "must be ordered");
          if (op == "In" && v == 0) c.invalid(vp, values[k], "must not be 0 for the In operator");
          previous = v;
        }
      }
      if (has(codes, "containerName")) {
        std::set<std::string> names;
        const json& pod = field(field(spec, "template"), "spec");
        for (const char* list : {"containers", "initContainers"})
          if (field(pod, list).is_array())
            for (const auto& ct : pod[list]) names.insert(string_field(ct, "name"));
        if (!codes["containerName"].is_string() ||
            !names.count(codes["containerName"].get<std::string>()))
          c.invalid(cp + ".containerName", codes["containerName"],
                    "must be one of the container or initContainer names in the pod template");
      }
    }
    if (conditions.is_array())
      for (size_t k = 0; k < conditions.size(); ++k) {
        const std::string pp = index_path(rp + ".onPodConditions", k);
        const json& pattern = conditions[k];
        if (!pattern.is_object()) {
          c.invalid(pp, pattern, "must be an object");
          continue;
        }
        const json& status = field(pattern, "status");
        if (status != "True" && status != "False" && status != "Unknown")
          c.unsupported(pp + ".status", status, "\"False\", \"True\", \"Unknown\"");
        if (!field(pattern, "type").is_string() || pattern["type"].get<std::string>().empty())
          c.required(pp + ".type");
      }
  }
}

void check_job_spec(Causes& c, const json& spec, const std::string& path, bool templated) {
  if (!spec.is_object()) return c.required(path);
  for (const char* key : {"parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished",
                          "backoffLimitPerIndex", "maxFailedIndexes"})
    check_count(c, spec, key, path);
  check_count(c, spec, "activeDeadlineSeconds", path, true);
  const json& mode = field(spec, "completionMode");
  const bool indexed = mode == "Indexed";
  if (!mode.is_null() && mode != "NonIndexed" && !indexed)
    c.unsupported(path + ".completionMode", mode, "\"NonIndexed\", \"Indexed\"");
  if (indexed) {
    if (!has(spec, "completions"))
      c.required(path + ".completions", "when completion mode is Indexed");
    for (const char* key : {"completions", "parallelism"})
      if (has(spec, key) && spec[key].is_number_integer() &&
          spec[key].get<long long>() > kMaxIndexedCompletions)
        c.invalid(path + "." + key, spec[key],
                  "must be less than or equal to 100000 when completion mode is Indexed");
  }
  if (has(spec, "backoffLimitPerIndex") && !indexed)
    c.required(path + ".completionMode",
               "when backoffLimitPerIndex is specified, completionMode must be Indexed");
  if (has(spec, "maxFailedIndexes") && !has(spec, "backoffLimitPerIndex"))
    c.required(path + ".backoffLimitPerIndex", "when maxFailedIndexes is specified");
  const json& replacement = field(spec, "podReplacementPolicy");
  if (!replacement.is_null()) {
    if (replacement != "TerminatingOrFailed" && replacement != "Failed")
      c.unsupported(path + ".podReplacementPolicy", replacement,
                    "\"Failed\", \"TerminatingOrFailed\"");
    else if (has(spec, "podFailurePolicy") && replacement != "Failed")
      c.unsupported(path + ".podReplacementPolicy", replacement, "\"Failed\"");
  }
  if (has(spec, "podFailurePolicy")) check_pod_failure_policy(c, spec, path);
  if (has(spec, "successPolicy")) {
    const json& rules = field(spec["successPolicy"], "rules");
    if (!indexed)
      c.invalid(path + ".successPolicy", spec["successPolicy"], "requires indexed completion mode");
    if (!rules.is_array() || rules.empty())
      c.required(path + ".successPolicy.rules");
    else
      for (size_t i = 0; i < rules.size(); ++i) {
        const std::string rp = index_path(path + ".successPolicy.rules", i);
        const json& rule = rules[i];
        if (!has(rule, "succeededIndexes") && !has(rule, "succeededCount"))
          c.required(rp, "at least one of succeededCount or succeededIndexes must be specified");
        if (has(rule, "succeededCount") && (!rule["succeededCount"].is_number_integer() ||
                                            rule["succeededCount"].get<long long>() < 0))
          c.invalid(rp + ".succeededCount", rule["succeededCount"],
                    "must be greater than or equal to 0");
      }
  }

  const json& tmpl = field(spec, "template");
  if (!tmpl.is_object()) return c.required(path + ".template");
  check_template_metadata(c, field(tmpl, "metadata"), path + ".template.metadata");
  check_pod_spec(c, field(tmpl, "spec"), path + ".template.spec", {});
  const json& restart = field(field(tmpl, "spec"), "restartPolicy");
  if (restart != "OnFailure" && restart != "Never")
    c.unsupported(path + ".template.spec.restartPolicy", restart, "\"OnFailure\", \"Never\"");
  else if (has(spec, "podFailurePolicy") && restart != "Never")
    c.invalid(path + ".template.spec.restartPolicy", restart,
              "only \"Never\" is supported when podFailurePolicy is specified");
  if (templated) return;  // a CronJob's jobTemplate gets its selector when the Job is made
  if (!has(spec, "selector")) return c.required(path + ".selector");
  auto selector = Selector::from_json(spec["selector"]);
  if (!selector) return c.add(path + ".selector", selector.error().message);
  if (selector->empty())
    return c.add(path + ".selector", "Invalid value: empty selector is invalid for job");
  if (!selector->matches(labels_of(tmpl)))
    c.add(path + ".template.metadata.labels",
          "Invalid value: " + field(field(tmpl, "metadata"), "labels").dump() +
              ": `selector` does not match template `labels`");
}

bool known_time_zone(const std::string& zone) {
  if (zone.empty() || zone == "UTC" || zone == "Local") return true;
  if (zone.find("..") != std::string::npos || zone.front() == '/' ||
      zone.find_first_not_of(
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") !=
          std::string::npos)
    return false;
  std::error_code ec;
  return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, ec);
}

}  // namespace

void apply_job_defaults(json& job) {
  if (!job.is_object()) return;
  set_default(job, "spec", json::object());
  apply_job_spec_defaults(job["spec"]);
  generate_selector(job);
}

void apply_cronjob_defaults(json& cj) {
  if (!cj.is_object()) return;
  set_default(cj, "spec", json::object());
  auto& spec = cj["spec"];
  if (!spec.is_object()) return;
  set_default(spec, "concurrencyPolicy", "Allow");
  set_default(spec, "suspend", false);
  set_default(spec, "successfulJobsHistoryLimit", 3);
  set_default(spec, "failedJobsHistoryLimit", 1);
  if (has(spec, "jobTemplate") && spec["jobTemplate"].is_object()) {
    auto& jspec = spec["jobTemplate"]["spec"];
    if (jspec.is_object() && has(jspec, "template") && jspec["template"].is_object() &&
        jspec["template"].contains("spec"))
      apply_pod_spec_defaults(jspec["template"]["spec"]);
  }
}

void check_job(Causes& c, const json& job) {
  const std::string name = string_field(field(job, "metadata"), "name");
  // The job-name label carries the name: it must be a label value as well.
  if (name.size() > 63)
    c.add("metadata.name", "Invalid value: \"" + name + "\": must be no more than 63 characters");
  check_job_spec(c, field(job, "spec"), "spec", false);
}

void check_cronjob(Causes& c, const json& cj) {
  const std::string name = string_field(field(cj, "metadata"), "name");
  // Job names are "<name>-<minutes since epoch>", 11 more characters, within 63.
  if (name.size() > 52)
    c.add("metadata.name", "Invalid value: \"" + name + "\": must be no more than 52 characters");
  const json& spec = field(cj, "spec");
  if (!spec.is_object()) return c.required("spec");
  const json& schedule = field(spec, "schedule");
  if (!schedule.is_string() || schedule.get<std::string>().empty()) {
    c.required("spec.schedule");
  } else if (auto parsed = CronSchedule::parse(schedule); !parsed) {
    c.invalid("spec.schedule", schedule, parsed.error().message);
  }
  const json& zone = field(spec, "timeZone");
  if (!zone.is_null() && (!zone.is_string() || !known_time_zone(zone.get<std::string>())))
    c.invalid("spec.timeZone", zone,
              "unknown time zone " + (zone.is_string() ? zone.get<std::string>() : zone.dump()));
  check_count(c, spec, "startingDeadlineSeconds", "spec");
  check_count(c, spec, "successfulJobsHistoryLimit", "spec");
  check_count(c, spec, "failedJobsHistoryLimit", "spec");
  const json& policy = field(spec, "concurrencyPolicy");
  if (policy.is_null())
    c.required("spec.concurrencyPolicy");
  else if (policy != "Allow" && policy != "Forbid" && policy != "Replace")
    c.unsupported("spec.concurrencyPolicy", policy, "\"Allow\", \"Forbid\", \"Replace\"");
  const json& tmpl = field(spec, "jobTemplate");
  if (!tmpl.is_object()) return c.required("spec.jobTemplate");
  check_template_metadata(c, field(tmpl, "metadata"), "spec.jobTemplate.metadata");
  check_job_spec(c, field(tmpl, "spec"), "spec.jobTemplate.spec", true);
}

void check_job_update(Causes& c, const json& old_job, const json& job) {
  const json& before = field(old_job, "spec");
  const json& after = field(job, "spec");
  for (const char* key :
       {"selector", "completionMode", "podFailurePolicy", "manualSelector", "backoffLimitPerIndex"})
    if (field(before, key) != field(after, key))
      c.invalid(std::string("spec.") + key, field(after, key), "field is immutable");
  // completions may change only with parallelism, for an Indexed job (elastic indexed jobs).
  if (field(before, "completions") != field(after, "completions") &&
      !(field(after, "completionMode") == "Indexed" &&
        field(after, "completions") == field(after, "parallelism")))
    c.invalid("spec.completions", field(after, "completions"), "field is immutable");
  // The template is immutable, but for a suspended job that never started (the scheduling
  // directives of a queued job); kinda takes the whole template then.
  const bool never_started =
      field(field(old_job, "status"), "startTime").is_null() && field(before, "suspend") == true;
  if (field(before, "template") != field(after, "template") && !never_started)
    c.invalid("spec.template", field(after, "template"), "field is immutable");
}

void check_cronjob_update(Causes&, const json&, const json&) {
  // Everything of a CronJob's spec may change; the next Job takes the new template.
}

}  // namespace kinda::api
