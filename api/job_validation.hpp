// batch/v1 Jobs and CronJobs at the API server: their defaults (SetDefaults_Job, SetDefaults_
// CronJob, the generated selector of the job strategy) and validation (ValidateJob, ValidateCronJob
// and their update rules), with Kubernetes' field paths and messages.
#pragma once

#include <nlohmann/json.hpp>

#include "api/validation_causes.hpp"

namespace kinda::api {

inline constexpr const char* kJobControllerUidLabel = "batch.kubernetes.io/controller-uid";
inline constexpr const char* kJobNameLabel = "batch.kubernetes.io/job-name";
inline constexpr const char* kJobCompletionIndex = "batch.kubernetes.io/job-completion-index";

// Defaults of a Job; with metadata.uid set and spec.manualSelector not true, also the selector
// and the template labels the job strategy generates.
void apply_job_defaults(nlohmann::json& job);
void apply_cronjob_defaults(nlohmann::json& cronjob);

void check_job(Causes& c, const nlohmann::json& job);
void check_cronjob(Causes& c, const nlohmann::json& cronjob);
void check_job_update(Causes& c, const nlohmann::json& old_job, const nlohmann::json& job);
void check_cronjob_update(Causes& c, const nlohmann::json& old_cj, const nlohmann::json& cj);

}  // namespace kinda::api
