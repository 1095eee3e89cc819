// kinda rollout status|history|undo|restart|pause|resume sts/NAME or deploy/NAME : kubectl's
// rollout commands for StatefulSets (over the set's watch, its ControllerRevisions and strategic
// merge patches) and Deployments (over its ReplicaSets, as kubectl does).
#include <iostream>
#include <optional>

#include "api/object.hpp"
#include "api/patch.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/deployment_rollout.hpp"
#include "cli/printers/fields.hpp"
#include "cli/printers/printers.hpp"
#include "cli/rollout_history.hpp"
#include "cli/rollout_status.hpp"
#include "cli/session.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

struct RolloutOptions {
  std::vector<std::string> args;
  bool watch = true;
  std::string timeout = "0s";
  long long revision = 0;     // history --revision
  long long to_revision = 0;  // undo --to-revision
};

// kubectl names kinds by GroupKind: "Pod", "StatefulSet.apps".
std::string group_kind(const api::ResourceInfo& resource) {
  return resource.group.empty() ? resource.kind : resource.kind + "." + resource.group;
}

std::vector<ResourceArg> named_targets(const std::vector<std::string>& args) {
  auto targets = parse_resource_args(args);
  if (!targets) fail("error: " + targets.error().message);
  for (const auto& target : *targets)
    if (target.name.empty())
      fail(
          "error: resource(s) were provided, but no name was specified; e.g. kinda rollout "
          "status sts/web");
  return *targets;
}

json get_or_fail(const Session& session, const std::string& path) {
  auto object = session.client.get(path);
  if (!object) fail(object.error());
  return *object;
}

std::vector<json> revisions_of(const Session& session, const json& set) {
  const auto* revisions = api::find_resource("controllerrevisions");
  auto list = session.client.get(revisions->path(api::namespace_of(set)));
  if (!list)
    fail("error: unable to find history controlled by StatefulSet " + api::name_of(set) + ": " +
         list.error().message);
  return owned_revisions(set, *list);
}

// Prints the status line; true when `rollout status` is finished with this state of the set.
// Errors are returned, not thrown: this runs inside the watch's curl callback.
Result<bool> show_progress(const json& set, bool watch) {
  auto progress = api::string_at(set, "kind") == "Deployment" ? deployment_rollout_status(set)
                                                              : statefulset_rollout_status(set);
  if (!progress) return progress.error();
  std::cout << progress->message << std::flush;
  return progress->done || !watch;
}

json replicasets_of(const Session& session, const json& d) {
  auto list = session.client.get(api::find_resource("replicasets")->path(api::namespace_of(d)));
  if (!list) fail("error: " + list.error().message);
  return *list;
}

void deployment_history(const Session& session, const ResourceArg& target, long long number) {
  json d = get_or_fail(session, target.resource->path(session.ns, target.name));
  auto revisions = deployment_revisions(d, replicasets_of(session, d));
  std::string ref = object_ref(*target.resource, target.name);
  if (number == 0) {
    std::cout << ref << " \n" << deployment_history_table(revisions) << "\n";
    return;
  }
  for (const auto& rs : revisions)
    if (replicaset_revision(rs) == number) {
      std::cout << ref << " with revision #" << number << "\n"
                << describe_pod_template(template_of_revision(rs)) << "\n";
      return;
    }
  fail("error: unable to find the specified revision");
}

void deployment_undo(const Session& session, const ResourceArg& target, long long to_revision) {
  std::string path = target.resource->path(session.ns, target.name);
  json d = get_or_fail(session, path);
  if (api::bool_at(d, "spec.paused"))
    fail(
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
        "resume deployment/" +
        target.name + "' and try again");
  auto rs =
      deployment_rollback_target(deployment_revisions(d, replicasets_of(session, d)), to_revision);
  if (!rs) fail("error: " + rs.error().message);
  std::string ref = object_ref(*target.resource, target.name);
  if (template_of_revision(*rs) == field(d, "spec.template")) {
    std::cout << ref << " skipped rollback (current template already matches revision "
              << replicaset_revision(*rs) << ")" << std::endl;
    return;
  }
  auto restored = session.client.patch(path, deployment_rollback_patch(d, *rs),
                                       api::content_type_of(api::PatchType::kJson));
  if (!restored)
    fail("error: failed restoring revision " + std::to_string(to_revision) + ": " +
         restored.error().message);
  std::cout << ref << " rolled back" << std::endl;
}

void run_status(const GlobalOptions& global, const RolloutOptions& options) {
  auto targets = named_targets(options.args);
  if (targets.size() != 1)
    fail(
        "error: rollout status is only supported on individual resources and resource "
        "collections - " +
        std::to_string(targets.size()) + " resources were found");
  const auto& resource = *targets[0].resource;
  const std::string& name = targets[0].name;
  if (resource.plural != "statefulsets" && resource.plural != "deployments")
    fail("error: no status viewer has been implemented for " + group_kind(resource));
  auto timeout = parse_duration(options.timeout);
  if (!timeout) fail("error: " + timeout.error().message);
  std::optional<api::Clock::time_point> deadline;
  if (timeout->count() > 0) deadline = api::Clock::now() + *timeout;
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto finished = [](const Result<bool>& seen) {
    if (!seen) fail("error: " + seen.error().message);
    return *seen;
  };

  json set = get_or_fail(*session, resource.path(session->ns, name));
  if (finished(show_progress(set, options.watch))) return;
  std::string shown = api::resource_version_of(set);
  while (true) {
    milliseconds remaining = milliseconds::zero();
    if (deadline) {
      remaining = std::chrono::duration_cast<milliseconds>(*deadline - api::Clock::now());
      if (remaining <= milliseconds::zero()) fail("error: timed out waiting for the condition");
    }
    Result<bool> seen = false;
    bool deleted = false;
    std::string path =
        with_query(resource.path(session->ns), {{"watch", "true"},
                                                {"resourceVersion", shown},
                                                {"fieldSelector", "metadata.name=" + name}});
    Status streamed = session->client.stream(
        path,
        [&](std::string_view line) {
          json event = json::parse(line, nullptr, false);
          if (!event.is_object()) return true;
          std::string type = event.value("type", "");
          const json& object = event.value("object", json::object());
          if (type == "ERROR") return false;  // e.g. 410 Gone: read the set afresh
          if (api::name_of(object) != name) return true;
          // Stopping on deletion keeps a recreated set from being watched by mistake.
          if (type == "DELETED") {
            deleted = true;
            return false;
          }
          shown = api::resource_version_of(object);
          seen = show_progress(object, options.watch);
          return seen && !*seen;
        },
        remaining);
    if (deleted) fail("error: object has been deleted");
    if (finished(seen)) return;
    if (!streamed) {
      if (is_timeout(streamed.error())) fail("error: timed out waiting for the condition");
      fail(streamed.error());
    }
    json current = get_or_fail(*session, resource.path(session->ns, name));
    if (api::resource_version_of(current) != shown) {
      shown = api::resource_version_of(current);
      if (finished(show_progress(current, options.watch))) return;
    }
  }
}

void run_history(const GlobalOptions& global, const RolloutOptions& options) {
  if (options.revision < 0)
    fail("error: revision must be a positive integer: " + std::to_string(options.revision));
  auto targets = named_targets(options.args);
  auto session = open_session(global);
  if (!session) fail(session.error());
  for (const auto& target : targets) {
    if (target.resource->plural == "deployments") {
      deployment_history(*session, target, options.revision);
      continue;
    }
    if (target.resource->plural != "statefulsets")
      fail("error: no history viewer has been implemented for \"" + group_kind(*target.resource) +
           "\"");
    json set = get_or_fail(*session, target.resource->path(session->ns, target.name));
    auto revisions = revisions_of(*session, set);
    std::string ref = object_ref(*target.resource, target.name);
    if (options.revision == 0) {
      std::cout << ref << " \n" << history_table(revisions) << "\n";
      continue;
    }
    auto revision = revision_numbered(revisions, options.revision);
    if (!revision) fail("error: " + revision.error().message);
    auto at = set_at_revision(set, *revision);
    if (!at) fail("error: " + at.error().message);
    std::cout << ref << " with revision #" << options.revision << "\n"
              << describe_pod_template(field(*at, "spec.template")) << "\n";
  }
  std::cout.flush();
}

void run_undo(const GlobalOptions& global, const RolloutOptions& options) {
  auto targets = named_targets(options.args);
  auto session = open_session(global);
  if (!session) fail(session.error());
  for (const auto& target : targets) {
    if (target.resource->plural == "deployments") {
      deployment_undo(*session, target, options.to_revision);
      continue;
    }
    if (target.resource->plural != "statefulsets")
      fail("error: no rollbacker has been implemented for \"" + group_kind(*target.resource) +
           "\"");
    std::string path = target.resource->path(session->ns, target.name);
    json set = get_or_fail(*session, path);
    auto revision = rollback_target(revisions_of(*session, set), options.to_revision);
    if (!revision) fail("error: " + revision.error().message);
    std::string ref = object_ref(*target.resource, target.name);
    const json& data = revision->value("data", json());
    if (template_patch(set) == data) {
      std::cout << ref << " skipped rollback (current template already matches revision "
                << options.to_revision << ")" << std::endl;
      continue;
    }
    auto restored =
        session->client.patch(path, data, api::content_type_of(api::PatchType::kStrategic));
    if (!restored)
      fail("error: failed restoring revision " + std::to_string(options.to_revision) + ": " +
           restored.error().message);
    std::cout << ref << " rolled back" << std::endl;
  }
}

void run_restart(const GlobalOptions& global, const RolloutOptions& options) {
  auto targets = named_targets(options.args);
  auto session = open_session(global);
  if (!session) fail(session.error());
  bool failed = false;
  for (const auto& target : targets) {
    if (target.resource->plural != "statefulsets" && target.resource->plural != "deployments") {
      std::cerr << "error: " << target.resource->plural << " \"" << target.name
                << "\" restarting is not supported" << std::endl;
      failed = true;
      continue;
    }
    std::string path = target.resource->path(session->ns, target.name);
    if (target.resource->plural == "deployments" &&
        api::bool_at(get_or_fail(*session, path), "spec.paused")) {
      std::cerr << "error: deployments \"" << target.name
                << "\" can't restart paused deployment (run rollout resume first)" << std::endl;
      failed = true;
      continue;
    }
    auto restarted =
        session->client.patch(path, restart_patch(local_rfc3339(std::chrono::system_clock::now())),
                              api::content_type_of(api::PatchType::kStrategic));
    if (!restarted) {
      if (is_transport_error(restarted.error())) fail(restarted.error());
      std::cerr << "error: failed to patch: " << restarted.error().message << std::endl;
      failed = true;
      continue;
    }
    std::cout << object_ref(*target.resource, target.name) << " restarted" << std::endl;
  }
  if (failed) exit_failure();
}

// pause/resume: spec.paused of a deployment, "already paused" when it was.
void run_pause(const GlobalOptions& global, const RolloutOptions& options, bool pause) {
  auto targets = named_targets(options.args);
  auto session = open_session(global);
  if (!session) fail(session.error());
  for (const auto& target : targets) {
    if (target.resource->plural != "deployments")
      fail("error: " + target.resource->plural + " \"" + target.name + "\" " +
           (pause ? "pausing" : "resuming") + " is not supported");
    std::string path = target.resource->path(session->ns, target.name);
    json d = get_or_fail(*session, path);
    std::string ref = object_ref(*target.resource, target.name);
    if (api::bool_at(d, "spec.paused") == pause) {
      std::cout << ref << (pause ? " already paused" : " already resumed") << std::endl;
      continue;
    }
    auto patched = session->client.patch(path, json{{"spec", {{"paused", pause}}}},
                                         api::content_type_of(api::PatchType::kStrategic));
    if (!patched) fail(patched.error());
    std::cout << ref << (pause ? " paused" : " resumed") << std::endl;
  }
}

CLI::App* add_verb(CLI::App* rollout, const char* verb, const char* help,
                   std::shared_ptr<RolloutOptions> options) {
  auto* cmd = rollout->add_subcommand(verb, help);
  cmd->add_option("resource", options->args, "sts NAME, sts/NAME or deploy/NAME")->required();
  return cmd;
}

}  // namespace

void register_rollout(CLI::App& app, GlobalOptions& global) {
  auto* rollout =
      app.add_subcommand("rollout", "Manage the rollout of a StatefulSet or a Deployment");
  rollout->require_subcommand(1);
  auto options = std::make_shared<RolloutOptions>();

  auto* status = add_verb(rollout, "status", "Show the status of the rollout", options);
  status->add_flag("-w,--watch", options->watch,
                   "Watch the status of the rollout until it's done (--watch=false: once)");
  status->add_option("--timeout", options->timeout,
                     "How long to wait before giving up, e.g. 90s, 5m; zero means never");
  status->callback([&global, options] { run_status(global, *options); });

  auto* history = add_verb(rollout, "history", "View rollout history", options);
  history->add_option("--revision", options->revision,
                      "See the details, including the pod template, of this revision");
  history->callback([&global, options] { run_history(global, *options); });

  auto* undo = add_verb(rollout, "undo", "Undo a previous rollout", options);
  undo->add_option("--to-revision", options->to_revision,
                   "The revision to roll back to; 0 means the previous one");
  undo->callback([&global, options] { run_undo(global, *options); });

  auto* restart = add_verb(rollout, "restart", "Restart a StatefulSet's pods", options);
  restart->callback([&global, options] { run_restart(global, *options); });

  auto* pause = add_verb(rollout, "pause", "Mark a Deployment as paused", options);
  pause->callback([&global, options] { run_pause(global, *options, true); });
  auto* resume = add_verb(rollout, "resume", "Resume a paused Deployment", options);
  resume->callback([&global, options] { run_pause(global, *options, false); });
}

}  // namespace kinda::cli
