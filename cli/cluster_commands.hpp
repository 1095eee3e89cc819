// Commands that manage a cluster's daemon and reach into pods: up, down, status and exec.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace kinda::cli {

void register_up(CLI::App& app, GlobalOptions& global);
void register_down(CLI::App& app, GlobalOptions& global);
void register_status(CLI::App& app, GlobalOptions& global);
void register_exec(CLI::App& app, GlobalOptions& global);

}  // namespace kinda::cli
