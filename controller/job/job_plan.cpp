#include "controller/job/job_plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "api/job_validation.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;
using std::chrono::milliseconds;

// Kubernetes' pod back-off after failures: 10s doubling up to 6 minutes.
constexpr double kBackoffInitialSeconds = 10;
constexpr double kBackoffMaxSeconds = 360;

milliseconds job_scaled(double seconds, double time_scale) {
  return milliseconds(static_cast<long long>(std::llround(seconds * time_scale * 1000.0)));
}

const json& job_at(const json& o, const std::string& dotted) {
  static const json kNull;
  const json* found = api::find_path(o, dotted);
  return found ? *found : kNull;
}

bool condition_true(const json& status, const std::string& type) {
  if (!status.contains("conditions") || !status["conditions"].is_array()) return false;
  for (const auto& c : status["conditions"])
    if (c.value("type", "") == type && c.value("status", "") == "True") return true;
  return false;
}

// Sets (or flips) a condition, keeping lastTransitionTime when its status does not change.
void set_condition(json& status, const std::string& type, const std::string& value,
                   const std::string& reason, const std::string& message, const std::string& now) {
  if (!status.contains("conditions") || !status["conditions"].is_array())
    status["conditions"] = json::array();
  for (auto& c : status["conditions"]) {
    if (c.value("type", "") != type) continue;
    if (c.value("status", "") != value) c["lastTransitionTime"] = now;
    c["status"] = value;
    c["reason"] = reason;
    c["message"] = message;
    c["lastProbeTime"] = now;
    return;
  }
  status["conditions"].push_back({{"type", type},
                                  {"status", value},
                                  {"reason", reason},
                                  {"message", message},
                                  {"lastProbeTime", now},
                                  {"lastTransitionTime", now}});
}

std::optional<long long> index_of(const Object& pod) {
  std::string text;
  const json& notes = job_at(pod, "metadata.annotations");
  if (!notes.is_object() || !notes.contains(api::kJobCompletionIndex) ||
      !notes[api::kJobCompletionIndex].is_string())
    return std::nullopt;
  text = notes[api::kJobCompletionIndex].get<std::string>();
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

bool pod_ready(const Object& pod) {
  for (const auto& c : job_at(pod, "status.conditions").is_array()
                           ? job_at(pod, "status.conditions")
                           : json::array())
    if (c.value("type", "") == "Ready" && c.value("status", "") == "True") return true;
  return false;
}

long long restarts_of(const Object& pod) {
  long long n = 0;
  for (const char* list : {"status.containerStatuses", "status.initContainerStatuses"})
    if (job_at(pod, list).is_array())
      for (const auto& s : job_at(pod, list)) n += s.value("restartCount", 0LL);
  return n;
}

// When the pod's last container ended, for the back-off after it.
std::optional<Clock::time_point> finished_at(const Object& pod) {
  std::optional<Clock::time_point> last;
  if (job_at(pod, "status.containerStatuses").is_array())
    for (const auto& s : job_at(pod, "status.containerStatuses"))
      if (auto t = api::parse_rfc3339(api::string_at(s, "state.terminated.finishedAt")))
        last = last ? std::max(*last, *t) : *t;
  return last;
}

bool exit_code_matches(const json& req, long long code) {
  const std::string op = req.value("operator", "");
  bool in = false;
  if (req.contains("values") && req["values"].is_array())
    for (const auto& v : req["values"])
      if (v.is_number_integer() && v.get<long long>() == code) in = true;
  return op == "In" ? in : (op == "NotIn" ? !in : false);
}

}  // namespace

std::string format_indexes(const std::set<long long>& indexes) {
  std::string out;
  auto it = indexes.begin();
  while (it != indexes.end()) {
    long long first = *it, last = *it;
    for (++it; it != indexes.end() && *it == last + 1; ++it) last = *it;
    if (!out.empty()) out += ",";
    out += std::to_string(first);
    if (last != first) out += "-" + std::to_string(last);
  }
  return out;
}

std::set<long long> parse_indexes(const std::string& text, long long limit) {
  std::set<long long> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    std::string part =
        text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() : comma + 1;
    size_t dash = part.find('-');
    try {
      long long lo = std::stoll(part.substr(0, dash));
      long long hi = dash == std::string::npos ? lo : std::stoll(part.substr(dash + 1));
      for (long long i = std::max(0LL, lo); i <= hi && i < limit; ++i) out.insert(i);
    } catch (const std::exception&) {
      // a malformed part is skipped, as the controller does
    }
  }
  return out;
}

Object job_pod(const Object& job, std::optional<long long> index) {
  const std::string name = api::name_of(job);
  Object tmpl =
      job_at(job, "spec.template").is_object() ? job_at(job, "spec.template") : Object::object();
  Object pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  pod["metadata"] = tmpl.value("metadata", Object::object());
  auto& meta = pod["metadata"];
  meta.erase("name");
  meta.erase("namespace");
  meta["generateName"] = index ? name + "-" + std::to_string(*index) + "-" : name + "-";
  meta["ownerReferences"] = {{{"apiVersion", "batch/v1"},
                              {"kind", "Job"},
                              {"name", name},
                              {"uid", api::uid_of(job)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}};
  pod["spec"] = tmpl.value("spec", Object::object());
  if (index) {
    const std::string text = std::to_string(*index);
    meta["annotations"][api::kJobCompletionIndex] = text;
    meta["labels"][api::kJobCompletionIndex] = text;
    const json env = {{"name", "JOB_COMPLETION_INDEX"},
                      {"valueFrom",
                       {{"fieldRef",
                         {{"fieldPath", std::string("metadata.annotations['") +
                                            api::kJobCompletionIndex + "']"}}}}}};
    for (const char* list : {"containers", "initContainers"})
      if (pod["spec"].contains(list) && pod["spec"][list].is_array())
        for (auto& c : pod["spec"][list]) {
          if (!c.contains("env") || !c["env"].is_array()) c["env"] = json::array();
          bool has = std::any_of(c["env"].begin(), c["env"].end(), [](const json& e) {
            return e.value("name", "") == "JOB_COMPLETION_INDEX";
          });
          if (!has) c["env"].push_back(env);
        }
    if (pod["spec"].contains("subdomain") && !pod["spec"].contains("hostname"))
      pod["spec"]["hostname"] = name + "-" + text;
  }
  return pod;
}

std::optional<PolicyMatch> match_pod_failure_policy(const Object& job, const Object& pod) {
  const json& rules = job_at(job, "spec.podFailurePolicy.rules");
  if (!rules.is_array()) return std::nullopt;
  const std::string pod_ref = api::namespace_of(pod) + "/" + api::name_of(pod);
  for (size_t i = 0; i < rules.size(); ++i) {
    const json& rule = rules[i];
    const std::string action = rule.value("action", "");
    const std::string rule_text = action + " rule at index " + std::to_string(i);
    if (rule.contains("onExitCodes") && rule["onExitCodes"].is_object()) {
      const json& req = rule["onExitCodes"];
      const std::string only = req.value("containerName", "");
      for (const char* list : {"status.initContainerStatuses", "status.containerStatuses"}) {
        if (!job_at(pod, list).is_array()) continue;
        for (const auto& s : job_at(pod, list)) {
          if (!only.empty() && s.value("name", "") != only) continue;
          const json& code = job_at(s, "state.terminated.exitCode");
          if (!code.is_number_integer() || code.get<long long>() == 0) continue;
          if (exit_code_matches(req, code.get<long long>()))
            return PolicyMatch{action, "Container " + s.value("name", "") + " for pod " + pod_ref +
                                           " failed with exit code " +
                                           std::to_string(code.get<long long>()) + " matching " +
                                           rule_text};
        }
      }
    }
    if (rule.contains("onPodConditions") && rule["onPodConditions"].is_array())
      for (const auto& pattern : rule["onPodConditions"]) {
        const std::string type = pattern.value("type", ""), want = pattern.value("status", "True");
        if (job_at(pod, "status.conditions").is_array())
          for (const auto& c : job_at(pod, "status.conditions"))
            if (c.value("type", "") == type && c.value("status", "") == want)
              return PolicyMatch{
                  action, "Pod " + pod_ref + " has condition " + type + " matching " + rule_text};
      }
  }
  return std::nullopt;
}

JobPlan plan_job(const Object& job, const std::vector<Object>& pods, Clock::time_point now,
                 double time_scale) {
  JobPlan plan;
  const std::string now_text = api::format_rfc3339(now);
  json status = job.value("status", json::object());
  if (!status.is_object()) status = json::object();
  const json& spec = job.value("spec", json::object());
  const bool indexed = spec.value("completionMode", "NonIndexed") == "Indexed";
  const json& completions_field = job_at(job, "spec.completions");
  const bool has_completions = completions_field.is_number_integer();
  const long long completions = has_completions ? completions_field.get<long long>() : 0;
  const long long parallelism = spec.value("parallelism", 1LL);
  const long long backoff_limit = spec.value("backoffLimit", 6LL);
  const bool suspended = spec.value("suspend", false);
  const bool on_failure = api::string_at(job, "spec.template.spec.restartPolicy") == "OnFailure";

  // What the pods say.
  std::vector<const Object*> active;
  long long terminating = 0, ready = 0, succeeded = 0, failed = 0, restarts = 0;
  std::set<long long> completed =
      indexed ? parse_indexes(status.value("completedIndexes", ""), completions)
              : std::set<long long>{};
  std::set<long long> active_indexes;
  std::optional<PolicyMatch> fail_job;
  std::optional<Clock::time_point> last_failure;
  // backoffLimitPerIndex: failures per index, and the indexes that failed for good.
  const json& per_index_field = job_at(job, "spec.backoffLimitPerIndex");
  const bool per_index = indexed && per_index_field.is_number_integer();
  const long long per_index_limit = per_index ? per_index_field.get<long long>() : 0;
  std::map<long long, long long> index_failures;
  std::set<long long> failed_indexes =
      per_index ? parse_indexes(status.value("failedIndexes", ""), completions)
                : std::set<long long>{};
  for (const auto& pod : pods) {
    const std::string phase = api::pod_phase(pod);
    auto index = index_of(pod);
    if (indexed && (!index || *index >= completions)) {
      if (phase != "Succeeded" && phase != "Failed" && !api::is_terminating(pod))
        plan.remove.push_back(api::name_of(pod));  // an index out of range
      continue;
    }
    if (phase == "Succeeded") {
      if (indexed) {
        completed.insert(*index);
      }
      ++succeeded;
    } else if (phase == "Failed") {
      auto match = match_pod_failure_policy(job, pod);
      if (match && match->action == "Ignore") continue;
      if (match && match->action == "FailJob" && !fail_job) fail_job = match;
      if (per_index && index) {
        if ((match && match->action == "FailIndex") || ++index_failures[*index] > per_index_limit)
          failed_indexes.insert(*index);
      }
      ++failed;
      if (auto t = finished_at(pod)) last_failure = last_failure ? std::max(*last_failure, *t) : *t;
    } else if (api::is_terminating(pod)) {
      ++terminating;
    } else {
      active.push_back(&pod);
      if (index) active_indexes.insert(*index);
      if (pod_ready(pod)) ++ready;
      restarts += restarts_of(pod);
    }
  }
  // Pods go (deleted by hand, or by the garbage collector once the job is finished): the counts
  // of the status never go down.
  succeeded = std::max(succeeded, status.value("succeeded", 0LL));
  failed = std::max(failed, status.value("failed", 0LL));
  if (indexed) succeeded = std::max(succeeded, static_cast<long long>(completed.size()));

  const bool finished = condition_true(status, "Complete") || condition_true(status, "Failed");
  if (finished) {
    for (const auto* pod : active) plan.remove.push_back(api::name_of(*pod));
    // ttlSecondsAfterFinished: from the time the job finished.
    const json& ttl = job_at(job, "spec.ttlSecondsAfterFinished");
    if (ttl.is_number_integer()) {
      std::optional<Clock::time_point> done =
          api::parse_rfc3339(status.value("completionTime", ""));
      if (status.contains("conditions") && status["conditions"].is_array())
        for (const auto& c : status["conditions"])
          if ((c.value("type", "") == "Complete" || c.value("type", "") == "Failed") &&
              c.value("status", "") == "True")
            if (auto t = api::parse_rfc3339(c.value("lastTransitionTime", ""))) done = t;
      if (done) {
        auto expire = *done + job_scaled(static_cast<double>(ttl.get<long long>()), time_scale);
        if (now >= expire)
          plan.delete_job = true;
        else
          plan.requeue_after =
              std::chrono::duration_cast<milliseconds>(expire - now) + milliseconds(1);
      }
    }
    plan.status = status;
    return plan;
  }

  status["active"] = static_cast<long long>(active.size());
  status["ready"] = ready;
  status["terminating"] = terminating;
  status["succeeded"] = succeeded;
  status["failed"] = failed;
  if (indexed) status["completedIndexes"] = format_indexes(completed);
  if (per_index) status["failedIndexes"] = format_indexes(failed_indexes);
  if (!status.contains("uncountedTerminatedPods"))
    status["uncountedTerminatedPods"] = json::object();

  // Suspension: active pods go, the Suspended condition says so; resuming restarts the clock.
  const bool was_suspended = condition_true(status, "Suspended");
  if (suspended) {
    for (const auto* pod : active) plan.remove.push_back(api::name_of(*pod));
    if (!was_suspended) {
      set_condition(status, "Suspended", "True", "JobSuspended", "Job suspended", now_text);
      plan.events.push_back({"Normal", "Suspended", "Job suspended"});
    }
    status["active"] = 0;
    status["ready"] = 0;
    status["terminating"] = terminating + static_cast<long long>(active.size());
    plan.status = status;
    return plan;
  }
  if (was_suspended) {
    set_condition(status, "Suspended", "False", "JobResumed", "Job resumed", now_text);
    plan.events.push_back({"Normal", "Resumed", "Job resumed"});
    status["startTime"] = now_text;
  }
  if (!status.contains("startTime")) status["startTime"] = now_text;
  const auto start = api::parse_rfc3339(status.value("startTime", "")).value_or(now);

  // Success and failure, as 1.32 decides them: first SuccessCriteriaMet or FailureTarget, then,
  // once no pod of the job runs any more, Complete (with completionTime) or Failed.
  std::string fail_reason, fail_message;
  if (condition_true(status, "FailureTarget")) {
    for (const auto& c : status["conditions"])
      if (c.value("type", "") == "FailureTarget")
        fail_reason = c.value("reason", ""), fail_message = c.value("message", "");
  } else if (fail_job) {
    fail_reason = "PodFailurePolicy";
    fail_message = fail_job->message;
  } else if (failed > backoff_limit ||
             (on_failure && (backoff_limit == 0 ? restarts > 0 : restarts >= backoff_limit))) {
    fail_reason = "BackoffLimitExceeded";
    fail_message = "Job has reached the specified backoff limit";
  } else if (const json& most = job_at(job, "spec.maxFailedIndexes");
             per_index && most.is_number_integer() &&
             static_cast<long long>(failed_indexes.size()) > most.get<long long>()) {
    fail_reason = "MaxFailedIndexesExceeded";
    fail_message = "Job has exceeded the specified maximal number of failed indexes";
  } else if (per_index && !failed_indexes.empty() &&
             static_cast<long long>(completed.size() + failed_indexes.size()) >= completions) {
    fail_reason = "FailedIndexes";
    fail_message = "Job has failed indexes";
  } else if (const json& deadline = job_at(job, "spec.activeDeadlineSeconds");
             deadline.is_number_integer()) {
    auto end = start + job_scaled(static_cast<double>(deadline.get<long long>()), time_scale);
    if (now >= end) {
      fail_reason = "DeadlineExceeded";
      fail_message = "Job was active longer than specified deadline";
    } else {
      plan.requeue_after = std::chrono::duration_cast<milliseconds>(end - now) + milliseconds(1);
    }
  }
  // successPolicy (Indexed): a rule met by the completed indexes ends the job as a success.
  std::string success_reason = "CompletionsReached",
              success_message = "Reached expected number of succeeded pods";
  bool policy_met = false;
  if (const json& rules = job_at(job, "spec.successPolicy.rules"); indexed && rules.is_array())
    for (size_t i = 0; i < rules.size() && !policy_met; ++i) {
      const json& rule = rules[i];
      std::set<long long> wanted;
      if (rule.contains("succeededIndexes") && rule["succeededIndexes"].is_string())
        wanted = parse_indexes(rule["succeededIndexes"], completions);
      else
        for (long long k = 0; k < completions; ++k) wanted.insert(k);
      long long done = 0;
      for (long long k : wanted) done += completed.count(k) ? 1 : 0;
      const long long need =
          rule.contains("succeededCount") && rule["succeededCount"].is_number_integer()
              ? rule["succeededCount"].get<long long>()
              : static_cast<long long>(wanted.size());
      if (done >= need && need > 0) {
        policy_met = true;
        success_reason = "SuccessPolicy";
        success_message = "Matched rules at index " + std::to_string(i);
      }
    }
  const bool succeeded_all =
      condition_true(status, "SuccessCriteriaMet") || policy_met ||
      (indexed ? static_cast<long long>(completed.size()) >= completions
               : (has_completions ? succeeded >= completions : succeeded > 0 && active.empty()));
  if (!fail_reason.empty() || succeeded_all) {
    const bool failing = !fail_reason.empty() && !condition_true(status, "SuccessCriteriaMet");
    const char* interim = failing ? "FailureTarget" : "SuccessCriteriaMet";
    std::string reason = failing ? fail_reason : success_reason;
    std::string message = failing ? fail_message : success_message;
    if (!failing && condition_true(status, "SuccessCriteriaMet"))
      for (const auto& c : status["conditions"])
        if (c.value("type", "") == "SuccessCriteriaMet")
          reason = c.value("reason", ""), message = c.value("message", "");
    if (!condition_true(status, interim)) {
      set_condition(status, interim, "True", reason, message, now_text);
      // The pods a failing job stops count as failed, as Kubernetes counts a job's deleted pods.
      if (failing) status["failed"] = failed + static_cast<long long>(active.size());
    }
    for (const auto* pod : active) plan.remove.push_back(api::name_of(*pod));
    status["active"] = 0;
    status["ready"] = 0;
    status["terminating"] = terminating + static_cast<long long>(active.size());
    if (active.empty() && terminating == 0) {
      if (failing) {
        set_condition(status, "Failed", "True", reason, message, now_text);
        plan.events.push_back({"Warning", reason, message});
      } else {
        set_condition(status, "Complete", "True", reason, message, now_text);
        status["completionTime"] = now_text;
        plan.events.push_back({"Normal", "Completed", "Job completed"});
      }
      status.erase("terminating");
      status["terminating"] = 0;
    }
    // The TTL clock starts when Complete or Failed is written; the next sync arms it.
    if (job_at(job, "spec.ttlSecondsAfterFinished").is_number_integer())
      plan.requeue_after = milliseconds(1);
    plan.status = status;
    return plan;
  }

  // New pods, held back after failures by the (scaled) exponential back-off.
  if (failed > 0 && last_failure) {
    double delay = std::min(kBackoffInitialSeconds * std::pow(2.0, static_cast<double>(failed - 1)),
                            kBackoffMaxSeconds);
    auto ready_at = *last_failure + job_scaled(delay, time_scale);
    if (now < ready_at) {
      auto wait = std::chrono::duration_cast<milliseconds>(ready_at - now) + milliseconds(1);
      plan.requeue_after =
          plan.requeue_after.count() > 0 ? std::min(plan.requeue_after, wait) : wait;
      plan.status = status;
      return plan;
    }
  }
  const bool replace_only_failed = spec.value("podReplacementPolicy", "") == "Failed";
  long long running =
      static_cast<long long>(active.size()) + (replace_only_failed ? terminating : 0);
  if (indexed) {
    for (long long i = 0; i < completions && running < parallelism; ++i) {
      if (completed.count(i) || active_indexes.count(i) || failed_indexes.count(i)) continue;
      plan.create.push_back(job_pod(job, i));
      ++running;
    }
  } else {
    long long want = parallelism;
    if (has_completions)
      want = std::min(parallelism, std::max(0LL, completions - succeeded));
    else if (succeeded > 0)
      want = 0;  // a work queue: one success ends it, no new pods
    for (long long n = running; n < want; ++n) plan.create.push_back(job_pod(job, std::nullopt));
  }
  plan.status = status;
  return plan;
}

}  // namespace kinda::controller
