// The kubectl-like subcommands of `kinda`. The binary's main owns the global flags (--cluster,
// -n) and hands them here; each command lives in its own cli/cmd_<verb>.cpp, parses its flags,
// and calls into the cli library. A failing command prints its error and exits with status 1.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace kinda::cli {

struct GlobalOptions {
  std::string cluster;
  std::string ns = "";  // empty: "default", or the manifest's own namespace
  bool all_namespaces = false;
};

// Adds apply, get, describe, delete, scale, logs, wait, the node commands, dns and images.
void register_commands(CLI::App& app, GlobalOptions& global);

void register_apply(CLI::App& app, GlobalOptions& global);
void register_get(CLI::App& app, GlobalOptions& global);
void register_describe(CLI::App& app, GlobalOptions& global);
void register_delete(CLI::App& app, GlobalOptions& global);
void register_scale(CLI::App& app, GlobalOptions& global);
void register_patch(CLI::App& app, GlobalOptions& global);
// rollout status, history, undo and restart of StatefulSets.
void register_rollout(CLI::App& app, GlobalOptions& global);
void register_logs(CLI::App& app, GlobalOptions& global);
void register_wait(CLI::App& app, GlobalOptions& global);
// Nodes: cordon and uncordon, drain, and kinda's own `node fail|recover`.
void register_cordon(CLI::App& app, GlobalOptions& global);
void register_drain(CLI::App& app, GlobalOptions& global);
void register_node(CLI::App& app, GlobalOptions& global);
// kinda dns: the cluster's resolver asked as a pod would, printed like dig +short.
void register_dns(CLI::App& app, GlobalOptions& global);
// kinda images: the image profiles, where each comes from, and whether its programs are installed.
void register_images(CLI::App& app, GlobalOptions& global);

}  // namespace kinda::cli
