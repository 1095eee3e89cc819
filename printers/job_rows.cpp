#include "printers/job_rows.hpp"

#include "api/object.hpp"
#include "printers/age.hpp"
#include "printers/fields.hpp"
#include "printers/label_selector_text.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

Column job_column(const char* name, const char* description, int priority = 0) {
  return {name, "string", "", description, priority};
}

bool job_has_condition(const json& job, const char* type) {
  for (const auto& c : array_at(job, "status.conditions"))
    if (api::string_at(c, "type") == type && api::string_at(c, "status") == "True") return true;
  return false;
}

std::string join_commas(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

void add_template_cells(PrintedRow& row, const json& pod_template, const json& selector) {
  std::vector<std::string> names, images;
  for (const auto& c : array_at(pod_template, "spec.containers")) {
    names.push_back(api::string_at(c, "name"));
    images.push_back(api::string_at(c, "image"));
  }
  row.cells.push_back(json(join_commas(names)));
  row.cells.push_back(json(join_commas(images)));
  row.cells.push_back(json(label_selector_text(selector)));
}

}  // namespace

std::vector<Column> job_columns() {
  return {
      {"Name", "string", "name", "The object's name, unique within its namespace.", 0},
      job_column("Status", "The job's state: Running, Complete, Failed, Suspended, Terminating…"),
      job_column("Completions", "Succeeded pods out of the desired completions."),
      job_column("Duration", "How long the job ran (or has been running)."),
      job_column("Age", "How long ago the object was created (metadata.creationTimestamp)."),
      job_column("Containers", "The names of the pod template's containers.", 1),
      job_column("Images", "The images of the pod template's containers.", 1),
      job_column("Selector", "The label selector of the job's pods.", 1)};
}

PrintedRow print_job(const json& job) {
  PrintedRow row;
  std::string status = "Running";
  if (job_has_condition(job, "Complete"))
    status = "Complete";
  else if (job_has_condition(job, "Failed"))
    status = "Failed";
  else if (api::is_terminating(job))
    status = "Terminating";
  else if (job_has_condition(job, "Suspended"))
    status = "Suspended";
  else if (job_has_condition(job, "FailureTarget"))
    status = "FailureTarget";
  else if (job_has_condition(job, "SuccessCriteriaMet"))
    status = "SuccessCriteriaMet";
  const long long succeeded = api::int_at(job, "status.succeeded");
  std::string completions;
  if (field(job, "spec.completions").is_number_integer()) {
    completions =
        std::to_string(succeeded) + "/" + std::to_string(api::int_at(job, "spec.completions"));
  } else {
    long long parallelism = api::int_at(job, "spec.parallelism");
    completions = std::to_string(succeeded) + "/1" +
                  (parallelism > 1 ? " of " + std::to_string(parallelism) : "");
  }
  Cell duration = json("");
  auto start = api::parse_rfc3339(api::string_at(job, "status.startTime"));
  auto end = api::parse_rfc3339(api::string_at(job, "status.completionTime"));
  if (start && end)
    duration = json(format_age(std::chrono::duration_cast<std::chrono::seconds>(*end - *start)));
  else if (start)
    duration = Age{start, "", ""};
  row.cells = {json(api::name_of(job)), json(status), json(completions), duration,
               created_age(job)};
  add_template_cells(row, field(job, "spec.template"), field(job, "spec.selector"));
  return row;
}

std::vector<Column> cronjob_columns() {
  return {{"Name", "string", "name", "The object's name, unique within its namespace.", 0},
          job_column("Schedule", "The cron schedule of the jobs."),
          job_column("Timezone", "The time zone the schedule is read in."),
          job_column("Suspend", "Whether new jobs are held back."),
          job_column("Active", "How many of its jobs run."),
          job_column("Last Schedule", "How long ago a job was last scheduled."),
          job_column("Age", "How long ago the object was created (metadata.creationTimestamp)."),
          job_column("Containers", "The names of the job template's containers.", 1),
          job_column("Images", "The images of the job template's containers.", 1),
          job_column("Selector", "The label selector of the job template.", 1)};
}

PrintedRow print_cronjob(const json& cj) {
  PrintedRow row;
  const json& zone = field(cj, "spec.timeZone");
  const json& suspend = field(cj, "spec.suspend");
  Cell last = json("<none>");
  if (auto t = api::parse_rfc3339(api::string_at(cj, "status.lastScheduleTime")))
    last = Age{t, "", ""};
  row.cells = {json(api::name_of(cj)),
               json(api::string_at(cj, "spec.schedule")),
               json(zone.is_string() ? zone.get<std::string>() : "<none>"),
               json(suspend.is_boolean() ? (suspend.get<bool>() ? "True" : "False") : "<unset>"),
               json(static_cast<long long>(array_at(cj, "status.active").size())),
               last,
               created_age(cj)};
  add_template_cells(row, field(cj, "spec.jobTemplate.spec.template"),
                     field(cj, "spec.jobTemplate.spec.selector"));
  return row;
}

}  // namespace kinda::printers
