// kinda cordon NODE / kinda uncordon NODE : mark a node unschedulable, or schedulable again.
// Pods already on the node keep running; the scheduler stops placing new ones there.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/cordon.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

void run_cordon(const GlobalOptions& global, const std::string& node, bool cordon) {
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto line = set_cordon(session->client, node, cordon);
  if (!line) fail(line.error());
  std::cout << *line << std::endl;
}

void add_command(CLI::App& app, GlobalOptions& global, const char* name, const char* about,
                 bool cordon) {
  auto* cmd = app.add_subcommand(name, about);
  auto node = std::make_shared<std::string>();
  cmd->add_option("node", *node, "NODE")->required();
  cmd->callback([&global, node, cordon] { run_cordon(global, *node, cordon); });
}

}  // namespace

void register_cordon(CLI::App& app, GlobalOptions& global) {
  add_command(app, global, "cordon", "Mark node as unschedulable", true);
  add_command(app, global, "uncordon", "Mark node as schedulable", false);
}

}  // namespace kinda::cli
