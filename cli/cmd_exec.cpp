// kinda exec POD [-c CONTAINER] -- COMMAND…: runs a command inside a running container — in its
// mount and UTS namespaces and with its environment — passing stdio through and exiting with
// the command's exit code, like kubectl exec.
#include <fstream>
#include <iostream>

#include <unistd.h>

#include "api/object.hpp"
#include "api/resources.hpp"
#include "cli/cluster_commands.hpp"
#include "cli/default_container.hpp"
#include "cli/session.hpp"
#include "runtime/process.hpp"

namespace kinda::cli {
namespace {

struct ExecOptions {
  std::string pod;
  std::string container;
  std::vector<std::string> command;
  bool stdin_flag = false,
       tty = false;  // accepted for kubectl muscle memory; stdio is always passed
};

std::vector<std::string> environment_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::vector<std::string> env;
  for (std::string var; std::getline(in, var, '\0');) env.push_back(var);
  return env;
}

void run_exec(const GlobalOptions& global, const ExecOptions& options) {
  if (options.command.empty())
    fail("error: you must specify at least one command for the container");
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto name = options.pod.rfind("pod/", 0) == 0 ? options.pod.substr(4) : options.pod;
  auto pod = session->client.get(api::find_resource("pods")->path(session->ns, name));
  if (!pod) fail(pod.error());
  const auto containers = (*pod)["spec"].value("containers", nlohmann::json::array());
  std::string container = default_container(*pod, options.container);
  nlohmann::json spec_of;
  for (const auto& c : containers)
    if (c.value("name", "") == container) spec_of = c;
  if (spec_of.is_null()) fail("error: container " + container + " is not valid for pod " + name);
  pid_t pid = 0;
  for (const auto& s : (*pod)["status"].value("containerStatuses", nlohmann::json::array()))
    if (s.value("name", "") == container && s["state"].contains("running")) {
      auto id = s.value("containerID", "");
      // kinda://<pod uid>/<container>/<pid>: the shim's child running the container.
      auto slash = id.rfind('/');
      if (id.rfind("kinda://", 0) == 0 && slash != std::string::npos)
        pid = static_cast<pid_t>(std::atol(id.c_str() + slash + 1));
    }
  if (pid <= 0)
    fail("error: unable to upgrade connection: container not found (\"" + container + "\")");
  auto status = session->client.get("/kinda/status");
  if (!status) fail(status.error());
  bool namespaces = status->value("isolation", "").rfind("namespaces", 0) == 0;

  runtime::ProcessSpec spec;
  spec.argv = options.command;
  spec.env = environment_of(pid);
  spec.new_session = false;
  // The pod's network supervisor, in its shim: the command owns the pod's address as the
  // container does (127.0.0.1 is the pod, peers see the pod's IP).
  std::string root, key;
  for (const auto& entry : spec.env) {
    if (entry.rfind("KINDA_CLUSTER_ROOT=", 0) == 0) root = entry.substr(19);
    if (entry.rfind("KINDA_POD=", 0) == 0) key = entry.substr(10);
  }
  if (!root.empty() && !key.empty()) spec.network_supervisor = root + "/pods/" + key + "/net.sock";
  if (namespaces) {
    spec.join_namespaces_of = pid;
    spec.working_dir = spec_of.value("workingDir", "/");
  } else {
    std::error_code ec;
    spec.working_dir =
        std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec).string();
  }
  // As Kubernetes runs exec: the container's uid, groups, capability bounding set and
  // no_new_privs, read from its main process; only the changes this user may make.
  auto identity = runtime::credentials_of_process(pid);
  if (!identity) fail("error: " + identity.error().message);
  identity->set_ids = ::geteuid() == 0;
  if (::geteuid() != 0 && status->value("isolation", "") != "namespaces-userns")
    identity->bounding.reset();
  spec.credentials = *identity;
  auto code = runtime::run_foreground(spec);
  if (!code) fail("error: " + code.error().message);
  if (*code != 0) throw CLI::RuntimeError(*code);
}

}  // namespace

void register_exec(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<ExecOptions>();
  auto* cmd = app.add_subcommand("exec", "Execute a command in a container");
  cmd->add_option("pod", options->pod, "Pod name")->required();
  cmd->add_option("command", options->command, "Command and arguments, after --");
  cmd->add_option("-c,--container", options->container, "Container name");
  cmd->add_flag("-i,--stdin", options->stdin_flag, "Pass stdin (always on)");
  cmd->add_flag("-t,--tty", options->tty, "Accepted for compatibility");
  cmd->callback([&global, options] { run_exec(global, *options); });
}

}  // namespace kinda::cli
