// The Job controller's decisions (Kubernetes' pkg/controller/job) as pure functions: a Job and
// the pods it owns in, the pods to create or delete, the events and the next status out.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/object.hpp"

namespace kinda::controller {

using api::Object;

struct JobEvent {
  std::string type, reason, message;
};

struct JobPlan {
  std::vector<Object> create;       // pods (generateName set; names come on create)
  std::vector<std::string> remove;  // pods to delete
  std::vector<JobEvent> events;
  Object status;
  bool delete_job = false;  // ttlSecondsAfterFinished ran out
  std::chrono::milliseconds requeue_after{0};
};

// "0-2,5,7-8" from a set of indexes (the completedIndexes form), and back.
std::string format_indexes(const std::set<long long>& indexes);
std::set<long long> parse_indexes(const std::string& text, long long limit);

// The pod of a Job's template: labels, ownerReference, and for Indexed jobs the completion index
// as annotation, label, JOB_COMPLETION_INDEX and hostname.
Object job_pod(const Object& job, std::optional<long long> index);

// The first rule of spec.podFailurePolicy a failed pod matches: its action ("FailJob", "Ignore",
// "Count", "FailIndex") and the message Kubernetes gives it; nothing when none matches.
struct PolicyMatch {
  std::string action, message;
};
std::optional<PolicyMatch> match_pod_failure_policy(const Object& job, const Object& pod);

// `now` is the real clock; every duration of the job (activeDeadlineSeconds, back-off,
// ttlSecondsAfterFinished) is multiplied by time_scale.
JobPlan plan_job(const Object& job, const std::vector<Object>& pods,
                 std::chrono::system_clock::time_point now, double time_scale);

}  // namespace kinda::controller
