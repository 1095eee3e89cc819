// kubectl's rows of batch/v1 Jobs and CronJobs, as the API server's printJob and printCronJob
// fill them.
#pragma once

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

// NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR
std::vector<Column> job_columns();
PrintedRow print_job(const nlohmann::json& job);
// NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR
std::vector<Column> cronjob_columns();
PrintedRow print_cronjob(const nlohmann::json& cronjob);

}  // namespace kinda::printers
