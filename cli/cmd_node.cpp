// kinda node fail NODE / kinda node recover NODE : kinda's own simulation of losing a node for
// good and of it coming back. A failed node turns NotReady (unreachable taints), every process of
// its pods is SIGKILLed at once as in a power loss, and its pod objects are removed so their
// controllers recreate them, same names and same claims, on the remaining nodes.
#include <iostream>

#include "api/object.hpp"
#include "api/resources.hpp"
#include "cli/commands.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

bool is_ready(const nlohmann::json& node) {
  for (const auto& c :
       node.value("status", nlohmann::json::object()).value("conditions", nlohmann::json::array()))
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  return false;
}

void run_node_action(const GlobalOptions& global, const std::string& node, bool fail_it) {
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto current = session->client.get(api::find_resource("nodes")->path("", node));
  if (!current) fail(current.error());
  if (is_ready(*current) != fail_it) {
    std::cout << "node/" << node << (fail_it ? " already failed" : " already ready") << std::endl;
    return;
  }
  auto done =
      session->client.post("/kinda/nodes/" + url_encode(node) + (fail_it ? "/fail" : "/recover"),
                           nlohmann::json::object());
  if (!done) fail(done.error());
  std::cout << "node/" << node << (fail_it ? " failed" : " recovered") << std::endl;
}

}  // namespace

void register_node(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("node", "Simulate losing a node, or its return");
  cmd->require_subcommand(1);
  for (bool fail_it : {true, false}) {
    auto* sub = cmd->add_subcommand(
        fail_it ? "fail" : "recover",
        fail_it ? "Lose the node for good: NotReady, its pods' processes killed at once, the pods "
                  "recreated on the other nodes"
                : "Bring a failed node back: Ready and schedulable again");
    auto node = std::make_shared<std::string>();
    sub->add_option("node", *node, "NODE")->required();
    sub->callback([&global, node, fail_it] { run_node_action(global, *node, fail_it); });
  }
}

}  // namespace kinda::cli
