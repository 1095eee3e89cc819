// kinda delete TYPE NAME… | TYPE/NAME… | -f FILE [--wait] [--grace-period=N] [--cascade=…] :
// delete objects and, by default, wait until they are gone.
#include <iostream>

#include "api/object.hpp"
#include "cli/apply.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/printers/printers.hpp"
#include "cli/session.hpp"
#include "cli/waiter.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

struct DeleteOptions {
  std::vector<std::string> args;
  std::vector<std::string> files;
  bool wait = true;
  int grace_period = -1;
  std::string cascade = "background";
};

struct Doomed {
  const api::ResourceInfo* resource;
  std::string ns;
  std::string name;
  std::string source;  // the manifest file, empty for objects named on the command line
};

std::vector<Doomed> doomed_objects(const DeleteOptions& options, const Session& session) {
  std::vector<Doomed> doomed;
  if (!options.files.empty()) {
    if (!options.args.empty())
      fail("error: name the objects either with -f or as arguments, not both");
    auto manifests = load_manifests(options.files, std::cin);
    if (!manifests) fail("error: " + manifests.error().message);
    for (const auto& m : *manifests) {
      auto ns = namespace_for(m, session.ns, session.ns_explicit);
      if (!ns) fail("error: " + ns.error().message);
      doomed.push_back({m.resource, *ns, api::name_of(m.object), m.source});
    }
    return doomed;
  }
  auto targets = parse_resource_args(options.args);
  if (!targets) fail("error: " + targets.error().message);
  for (const auto& target : *targets) {
    if (target.name.empty())
      fail(
          "error: resource(s) were provided, but no name was specified; e.g. kinda delete pod "
          "redis-0");
    doomed.push_back(
        {target.resource, target.resource->namespaced ? session.ns : "", target.name, ""});
  }
  return doomed;
}

std::string propagation_policy(const std::string& cascade) {
  if (cascade == "orphan" || cascade == "false") return "Orphan";
  if (cascade == "foreground") return "Foreground";
  return "Background";
}

void run_delete(const GlobalOptions& global, const DeleteOptions& options) {
  auto session = open_session(global);
  if (!session) fail(session.error());
  std::vector<Doomed> doomed = doomed_objects(options, *session);
  std::vector<WaitTarget> pending;
  bool failed = false;
  for (const auto& d : doomed) {
    std::string path =
        with_query(d.resource->path(d.ns, d.name),
                   {{"gracePeriodSeconds",
                     options.grace_period >= 0 ? std::to_string(options.grace_period) : ""},
                    {"propagationPolicy", propagation_policy(options.cascade)}});
    auto reply = session->client.del(path);
    if (!reply) {
      Error error = reply.error();
      if (is_transport_error(error)) fail(error);
      if (!d.source.empty())
        error.message = "error when deleting \"" + d.source + "\": " + error.message;
      std::cerr << error_line(error) << std::endl;
      failed = true;
      continue;
    }
    std::cout << qualified_resource(*d.resource) << " \"" << d.name << "\" deleted" << std::endl;
    if (reply->value("kind", "") != "Status")
      pending.push_back({d.resource, d.ns, d.name, api::uid_of(*reply)});
  }
  if (options.wait) {
    for (const auto& target : pending) {
      Status gone = wait_for(session->client, target, WaitCondition{true, "", ""}, std::nullopt);
      if (!gone) fail(gone.error());
    }
  }
  if (failed) exit_failure();
}

}  // namespace

void register_delete(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand("delete", "Delete resources by file or by type and name");
  auto options = std::make_shared<DeleteOptions>();
  cmd->add_option("resources", options->args, "TYPE NAME… or TYPE/NAME…");
  cmd->add_option("-f,--filename", options->files, "Manifest file or directory naming the objects");
  cmd->add_flag("--wait", options->wait, "Wait for the objects to be gone (--wait=false: don't)");
  cmd->add_option("--grace-period", options->grace_period,
                  "Seconds given to the object to terminate gracefully (-1: its own default)");
  cmd->add_option("--cascade", options->cascade,
                  "Dependents: background (deleted after), foreground (deleted first), orphan")
      ->check(CLI::IsMember({"background", "foreground", "orphan", "true", "false"}));
  cmd->callback([&global, options] { run_delete(global, *options); });
}

}  // namespace kinda::cli
