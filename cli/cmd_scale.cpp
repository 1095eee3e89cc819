// kinda scale sts|deploy|rs NAME --replicas=N : set the replicas through its scale subresource.
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/printers/printers.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

constexpr int kConflictRetries = 5;

struct ScaleOptions {
  std::vector<std::string> args;
  int replicas = -1;
};

void run_scale(const GlobalOptions& global, const ScaleOptions& options) {
  auto targets = parse_resource_args(options.args);
  if (!targets) fail("error: " + targets.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  for (const auto& target : *targets) {
    if (target.resource->plural != "statefulsets" && target.resource->plural != "deployments" &&
        target.resource->plural != "replicasets")
      fail("error: kinda can scale statefulsets, deployments and replicasets, not " +
           target.resource->plural);
    if (target.name.empty())
      fail(
          "error: resource(s) were provided, but no name was specified; e.g. kinda scale sts "
          "NAME --replicas=3");
    std::string path = target.resource->path(session->ns, target.name) + "/scale";
    for (int attempt = 0;; ++attempt) {
      auto scale = session->client.get(path);
      if (!scale) fail(scale.error());
      (*scale)["spec"]["replicas"] = options.replicas;
      auto updated = session->client.put(path, *scale);
      if (updated) break;
      if (updated.error().code != 409 || attempt >= kConflictRetries) fail(updated.error());
    }
    std::cout << object_ref(*target.resource, target.name) << " scaled" << std::endl;
  }
}

}  // namespace

void register_scale(CLI::App& app, GlobalOptions& global) {
  auto* cmd =
      app.add_subcommand("scale", "Set a new size for a StatefulSet, Deployment or ReplicaSet");
  auto options = std::make_shared<ScaleOptions>();
  cmd->add_option("resource", options->args, "sts NAME, or statefulset/NAME")->required();
  cmd->add_option("--replicas", options->replicas, "The new desired number of replicas")
      ->required()
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&global, options] { run_scale(global, *options); });
}

}  // namespace kinda::cli
