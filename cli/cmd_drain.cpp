// kinda drain NODE [--force] [--ignore-daemonsets] [--delete-emptydir-data] [--grace-period N]
// [--timeout D] : cordon the node, evict every pod on it through the Eviction subresource
// (retrying while a PodDisruptionBudget refuses with 429) and wait until each is gone (deleted,
// or replaced by its controller under the same name elsewhere), printing what kubectl drain
// prints.
#include <iostream>
#include <optional>
#include <thread>

#include "api/object.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/cordon.hpp"
#include "cli/drain_plan.hpp"
#include "cli/session.hpp"
#include "cli/waiter.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

struct DrainOptions {
  std::string node;
  DrainFlags flags;
  int grace_period = -1;  // negative: each pod's own terminationGracePeriodSeconds
  std::string timeout = "0s";
};

// How long a refused eviction waits before it is asked again (kubectl drain waits 5 s).
constexpr std::chrono::seconds kEvictionRetry{1};

const api::ResourceInfo& pods_resource() {
  return *api::find_resource("pods");
}

std::vector<json> pods_on(const Session& session, const std::string& node) {
  auto list = session.client.get(
      with_query(pods_resource().path(""), {{"fieldSelector", "spec.nodeName=" + node}}));
  if (!list) fail(list.error());
  return list->value("items", std::vector<json>{});
}

// kubectl's report when a node could not be drained; ends the command with status 1.
[[noreturn]] void drain_failed(const std::string& node, const std::vector<std::string>& errors) {
  std::cerr << "error: unable to drain node \"" << node << "\" due to error: " << aggregate(errors)
            << ", continuing command...\n"
            << "There are pending nodes to be drained:\n " << node << "\n";
  for (const auto& e : errors) std::cerr << e << "\n";
  std::cerr.flush();
  exit_failure();
}

void run_drain(const GlobalOptions& global, const DrainOptions& options) {
  auto timeout = parse_duration(options.timeout);
  if (!timeout) fail("error: " + timeout.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto cordoned = set_cordon(session->client, options.node, true);
  if (!cordoned) fail(cordoned.error());
  std::cout << *cordoned << std::endl;

  auto plan = plan_drain(pods_on(*session, options.node), options.flags);
  if (!plan.errors.empty()) drain_failed(options.node, plan.errors);
  if (!plan.warnings.empty()) {
    std::cerr << "Warning:";
    for (size_t i = 0; i < plan.warnings.size(); ++i)
      std::cerr << (i ? "; " : " ") << plan.warnings[i];
    std::cerr << std::endl;
  }

  std::optional<api::Clock::time_point> deadline;
  if (timeout->count() > 0) deadline = api::Clock::now() + *timeout;
  std::vector<std::string> errors;
  std::vector<json> evicted;
  for (const auto& pod : plan.evict) {
    auto ns = api::namespace_of(pod), name = api::name_of(pod);
    std::cout << "evicting pod " << ns << "/" << name << std::endl;
    json eviction = {{"apiVersion", "policy/v1"},
                     {"kind", "Eviction"},
                     {"metadata", {{"name", name}, {"namespace", ns}}}};
    if (options.grace_period >= 0)
      eviction["deleteOptions"] = {{"gracePeriodSeconds", options.grace_period}};
    // A disruption budget that allows nothing now answers 429: retried, as kubectl drain does,
    // until the budget allows it or the timeout ends the drain.
    std::string last_refusal;
    while (true) {
      auto done = session->client.post(pods_resource().path(ns, name) + "/eviction", eviction);
      if (done || done.error().code == 404) {
        evicted.push_back(pod);
        break;
      }
      if (done.error().code != 429) {
        errors.push_back("error when evicting pods/\"" + name + "\" -n \"" + ns +
                         "\": " + done.error().message);
        break;
      }
      if (deadline && api::Clock::now() >= *deadline) {
        errors.push_back("error when evicting pods/\"" + name + "\" -n \"" + ns +
                         "\": global timeout reached: " + options.timeout);
        break;
      }
      std::string refusal = done.error().message;
      for (const auto& cause : done.error().causes) refusal += " " + cause.message;
      if (refusal != last_refusal)
        std::cerr << "error when evicting pods/\"" << name << "\" -n \"" << ns
                  << "\" (will retry after " << kEvictionRetry.count() << "s): " << refusal
                  << std::endl;
      last_refusal = refusal;
      std::this_thread::sleep_for(kEvictionRetry);  // bounded by the budget or --timeout
    }
  }
  for (const auto& pod : evicted) {
    auto ns = api::namespace_of(pod), name = api::name_of(pod);
    WaitTarget target{&pods_resource(), ns, name, api::uid_of(pod)};
    WaitCondition gone;
    gone.for_delete = true;
    auto waited = wait_for(session->client, target, gone, deadline);
    if (waited) {
      std::cout << "pod/" << name << " evicted" << std::endl;
      continue;
    }
    if (is_transport_error(waited.error()) && !is_timeout(waited.error())) fail(waited.error());
    errors.push_back(
        "error when waiting for pod \"" + name + "\" in namespace \"" + ns + "\" to terminate: " +
        (waited.error().reason == "Timeout" ? "global timeout reached: " + options.timeout
                                            : waited.error().message));
  }
  if (!errors.empty()) {
    std::cerr << "There are pending pods in node \"" << options.node
              << "\" when an error occurred: " << aggregate(errors) << "\n";
    for (const auto& pod : plan_drain(pods_on(*session, options.node), options.flags).evict)
      std::cerr << "pod/" << api::name_of(pod) << "\n";
    drain_failed(options.node, errors);
  }
  std::cout << "node/" << options.node << " drained" << std::endl;
}

}  // namespace

void register_drain(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("drain", "Drain node in preparation for maintenance");
  auto options = std::make_shared<DrainOptions>();
  cmd->add_option("node", options->node, "NODE")->required();
  cmd->add_flag("--force", options->flags.force,
                "Continue even if there are pods that do not declare a controller");
  cmd->add_flag("--ignore-daemonsets", options->flags.ignore_daemonsets,
                "Ignore DaemonSet-managed pods");
  cmd->add_flag("--delete-emptydir-data", options->flags.delete_emptydir_data,
                "Continue even if there are pods using emptyDir (local data that will be deleted "
                "when the node is drained)");
  cmd->add_option("--grace-period", options->grace_period,
                  "Seconds each pod is given to terminate gracefully; negative: the pod's own");
  cmd->add_option("--timeout", options->timeout,
                  "How long to wait before giving up, e.g. 90s; zero means infinite");
  cmd->callback([&global, options] { run_drain(global, *options); });
}

}  // namespace kinda::cli
