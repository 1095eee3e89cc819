#include "cli/commands.hpp"

namespace kinda::cli {

void register_commands(CLI::App& app, GlobalOptions& global) {
  register_apply(app, global);
  register_get(app, global);
  register_describe(app, global);
  register_delete(app, global);
  register_scale(app, global);
  register_patch(app, global);
  register_rollout(app, global);
  register_logs(app, global);
  register_wait(app, global);
  register_cordon(app, global);
  register_drain(app, global);
  register_node(app, global);
  register_dns(app, global);
  register_images(app, global);
}

}  // namespace kinda::cli
