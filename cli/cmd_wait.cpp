// kinda wait --for=condition=Ready|--for=delete TYPE/NAME… [--timeout=30s] : block until objects
// reach a condition or are gone.
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/printers/printers.hpp"
#include "cli/session.hpp"
#include "cli/waiter.hpp"

namespace kinda::cli {
namespace {

struct WaitOptions {
  std::vector<std::string> args;
  std::string for_condition;
  std::string timeout = "30s";
};

void run_wait(const GlobalOptions& global, const WaitOptions& options) {
  auto condition = parse_wait_for(options.for_condition);
  if (!condition) fail("error: " + condition.error().message);
  auto timeout = parse_duration(options.timeout);
  if (!timeout) fail("error: " + timeout.error().message);
  auto targets = parse_resource_args(options.args);
  if (!targets) fail("error: " + targets.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  for (const auto& target : *targets) {
    if (target.name.empty())
      fail(
          "error: name the objects to wait for, e.g. kinda wait --for=condition=Ready "
          "pod/redis-0");
    WaitTarget wait_target{target.resource, target.resource->namespaced ? session->ns : "",
                           target.name, ""};
    Status met = wait_for(session->client, wait_target, *condition, Clock::now() + *timeout);
    if (!met && is_timeout(met.error()))
      fail("error: timed out waiting for the condition on " + target.resource->plural + "/" +
           target.name);
    if (!met) fail(met.error());
    std::cout << object_ref(*target.resource, target.name)
              << (condition->for_delete ? " deleted" : " condition met") << std::endl;
  }
}

}  // namespace

void register_wait(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("wait", "Wait for a condition on one or more resources");
  auto options = std::make_shared<WaitOptions>();
  cmd->add_option("resources", options->args, "TYPE/NAME… or TYPE NAME…")->required();
  cmd->add_option("--for", options->for_condition, "delete, or condition=NAME[=VALUE]")->required();
  cmd->add_option("--timeout", options->timeout, "How long to wait, e.g. 30s, 2m, 1h")
      ->capture_default_str();
  cmd->callback([&global, options] { run_wait(global, *options); });
}

}  // namespace kinda::cli
