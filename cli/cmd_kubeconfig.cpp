// kinda kubeconfig: the kubeconfig that points kubectl (or a client library) at the cluster's
// HTTPS listener, printed, or with --write merged into the file kubectl reads (the first of
// $KUBECONFIG, else ~/.kube/config) as context kinda-<cluster>, made current.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cluster_commands.hpp"
#include "cli/kubeconfig.hpp"
#include "cli/session.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::cli {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) fail("error: cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The file holds a token: written 0600 under a temporary name, then renamed over the old one.
void write_private(const std::filesystem::path& file, const std::string& text) {
  std::error_code ec;
  if (!file.parent_path().empty() && !std::filesystem::exists(file.parent_path())) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (!ec)
      std::filesystem::permissions(file.parent_path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    if (ec) fail("error: cannot create " + file.parent_path().string() + ": " + ec.message());
  }
  auto tmp = file;
  tmp += ".kinda-tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const std::string why = std::strerror(errno);
  if (fd >= 0) ::close(fd);
  if (ok && ::rename(tmp.c_str(), file.c_str()) == 0) return;
  ::unlink(tmp.c_str());
  fail("error: cannot write " + file.string() + ": " + (ok ? std::strerror(errno) : why));
}

void run_kubeconfig(const GlobalOptions& global, bool write) {
  const std::string name = storage::cluster_name(global.cluster);
  auto paths = storage::cluster_paths(name);
  if (!paths) fail("error: " + paths.error().message);
  auto session = open_session(global);
  if (!session) fail(session.error());
  auto status = session->client.get("/kinda/status");
  if (!status)
    fail("error: cluster \"" + name + "\" is not running; start it with its HTTPS listener: " +
         "kinda up --api-listen 127.0.0.1:0");
  const std::string listen = status->value("apiListen", "");
  if (listen.empty())
    fail("error: cluster \"" + name +
         "\" serves its API only on its Unix socket, which kubectl cannot use. Give it an HTTPS "
         "listener: `kinda down && kinda up --api-listen 127.0.0.1:0` (remembered in "
         "config.json), or set \"api\": {\"listen\": \"127.0.0.1:6443\"} in " +
         paths->config().string() + " and restart it");

  KubeconfigEntry entry{"kinda-" + name, "https://" + listen, read_text(paths->ca_cert()),
                        read_text(paths->api_token())};
  while (!entry.token.empty() && std::isspace(static_cast<unsigned char>(entry.token.back())))
    entry.token.pop_back();
  if (!write) {
    std::cout << render_kubeconfig(entry);
    return;
  }
  auto file = default_kubeconfig_path();
  // kubectl follows a symlinked config; so does this, replacing the file it points to.
  std::error_code ec;
  if (std::filesystem::is_symlink(file, ec)) file = std::filesystem::canonical(file, ec);
  std::string existing;
  if (std::filesystem::exists(file, ec)) existing = read_text(file);
  auto merged = merge_kubeconfig(existing, entry);
  if (!merged) fail("error: " + file.string() + ": " + merged.error().message);
  write_private(file, *merged);
  std::cout << "Set kubectl context to \"" << entry.name << "\" in " << file.string()
            << "\nYou can now use your cluster with:\n\nkubectl cluster-info --context "
            << entry.name << "\n";
}

}  // namespace

void register_kubeconfig(CLI::App& app, GlobalOptions& global) {
  auto write = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "kubeconfig",
      "Print a kubeconfig for the cluster's HTTPS listener (context kinda-<cluster>), for kubectl "
      "and client libraries");
  cmd->add_flag("--write", *write,
                "Merge it into the first file of $KUBECONFIG, else ~/.kube/config, and make it "
                "the current context");
  cmd->callback([&global, write] { run_kubeconfig(global, *write); });
}

}  // namespace kinda::cli
