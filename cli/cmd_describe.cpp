// kinda describe TYPE [NAME…] : a human-readable description of objects and their events.
#include <iostream>

#include "api/object.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/printers/printers.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

std::vector<json> items_of(const Session& session, const std::string& plural,
                           const std::string& ns) {
  auto list = session.client.get(api::find_resource(plural)->path(ns));
  std::vector<json> items;
  if (list)
    for (const auto& item : list->value("items", json::array())) items.push_back(item);
  return items;
}

DescribeContext context_for(const Session& session, const api::ResourceInfo& resource,
                            const json& object) {
  DescribeContext context;
  std::string ns = api::namespace_of(object);
  json events = {{"items", items_of(session, "events", ns)}};
  context.events = events_about(object, events);
  if (resource.plural == "statefulsets" || resource.plural == "persistentvolumeclaims")
    context.pods = items_of(session, "pods", ns);
  if (resource.plural == "nodes") context.pods = items_of(session, "pods", "");
  context.now = Clock::now();
  return context;
}

void run_describe(const GlobalOptions& global, const std::vector<std::string>& args) {
  auto targets = parse_resource_args(args);
  if (!targets) fail("error: " + targets.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  bool failed = false;
  bool first = true;
  for (const auto& target : *targets) {
    std::vector<json> objects;
    if (target.name.empty()) {
      auto list = session->client.get(target.resource->path(session->ns));
      if (!list) fail(list.error());
      for (const auto& item : list->value("items", json::array())) objects.push_back(item);
    } else {
      auto object = session->client.get(target.resource->path(session->ns, target.name));
      if (!object) {
        if (is_transport_error(object.error())) fail(object.error());
        std::cerr << error_line(object.error()) << std::endl;
        failed = true;
        continue;
      }
      objects.push_back(*object);
    }
    for (const auto& object : objects) {
      if (!first) std::cout << "\n\n";
      first = false;
      std::cout << describe(*target.resource, object,
                            context_for(*session, *target.resource, object));
    }
  }
  std::cout.flush();
  if (failed) exit_failure();
}

}  // namespace

void register_describe(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("describe", "Show details of a resource and its events");
  auto args = std::make_shared<std::vector<std::string>>();
  cmd->add_option("resources", *args, "TYPE [NAME…] or TYPE/NAME…")->required();
  cmd->callback([&global, args] { run_describe(global, *args); });
}

}  // namespace kinda::cli
