// Commands that manage a cluster's daemon and reach into pods: up, down, status and exec,
// and the kubeconfig for reaching it with kubectl.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace kinda::cli {

void register_up(CLI::App& app, GlobalOptions& global);
void register_down(CLI::App& app, GlobalOptions& global);
void register_status(CLI::App& app, GlobalOptions& global);
void register_exec(CLI::App& app, GlobalOptions& global);
// kinda kubeconfig: a kubeconfig for the cluster's HTTPS listener, printed or merged (--write).
void register_kubeconfig(CLI::App& app, GlobalOptions& global);

}  // namespace kinda::cli
