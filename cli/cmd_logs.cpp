// kinda logs POD|job/NAME [-c CONTAINER] [-f] [--tail N] [--previous] : print a container's log.
#include <algorithm>
#include <iostream>

#include "api/object.hpp"
#include "api/resources.hpp"
#include "cli/commands.hpp"
#include "cli/default_container.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

struct LogsOptions {
  std::string pod;
  std::string container;
  bool follow = false;
  long long tail = -1;
  bool previous = false;
};

void run_logs(const GlobalOptions& global, const LogsOptions& options) {
  std::string pod = options.pod;
  for (std::string prefix : {"pod/", "pods/", "po/"})
    if (pod.rfind(prefix, 0) == 0) pod = pod.substr(prefix.size());
  std::string job;
  for (std::string prefix : {"job/", "jobs/", "job.batch/", "jobs.batch/"})
    if (pod.rfind(prefix, 0) == 0) job = pod.substr(prefix.size());
  if (job.empty() && pod.find('/') != std::string::npos)
    fail("error: kinda logs takes a pod name (e.g. redis-0, pod/redis-0 or job/pi), not \"" +
         options.pod + "\"");
  auto session = open_session(global);
  if (!session) fail(session.error());
  const auto& pods = *api::find_resource("pods");
  if (!job.empty()) {
    // As kubectl: the job's pods by its job-name label, the first of them by name.
    auto list = session->client.get(with_query(
        pods.path(session->ns), {{"labelSelector", "batch.kubernetes.io/job-name=" + job}}));
    if (!list) fail(list.error());
    std::vector<std::string> names;
    for (const auto& item : list->value("items", nlohmann::json::array()))
      names.push_back(api::name_of(item));
    if (names.empty()) fail("error: no pods of job/" + job + " found");
    std::sort(names.begin(), names.end());
    if (names.size() > 1)
      std::cerr << "Found " << names.size() << " pods, using pod/" << names.front() << std::endl;
    pod = names.front();
  }
  std::string container = options.container;
  if (container.empty()) {
    auto object = session->client.get(pods.path(session->ns, pod));
    if (!object) fail(object.error());
    container = default_container(*object, "");
  }
  std::string path =
      with_query(pods.path(session->ns, pod) + "/log",
                 {{"container", container},
                  {"follow", options.follow ? "true" : ""},
                  {"tailLines", options.tail >= 0 ? std::to_string(options.tail) : ""},
                  {"previous", options.previous ? "true" : ""}});
  Status streamed = session->client.stream(path, [](std::string_view line) {
    std::cout << line << '\n';
    if (!std::cout.flush()) return false;
    return true;
  });
  if (!streamed) fail(streamed.error());
}

}  // namespace

void register_logs(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("logs", "Print the logs of a container in a pod");
  auto options = std::make_shared<LogsOptions>();
  cmd->add_option("pod", options->pod, "Pod name")->required();
  cmd->add_option("-c,--container", options->container, "Container name");
  cmd->add_flag("-f,--follow", options->follow, "Stream the log as it grows");
  cmd->add_option("--tail", options->tail, "Lines of recent log to show (-1: all)");
  cmd->add_flag("-p,--previous", options->previous,
                "Print the log of the previous instance of the container");
  cmd->callback([&global, options] { run_logs(global, *options); });
}

}  // namespace kinda::cli
