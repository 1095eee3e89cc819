// Where a cluster lives on disk: one state directory per cluster under $KINDA_HOME
// (default ${XDG_STATE_HOME:-~/.local/state}/kinda), named by --cluster / KINDA_CLUSTER.
#pragma once

#include <filesystem>
#include <string>

#include "api/error.hpp"

namespace kinda::storage {

namespace fs = std::filesystem;

struct ClusterPaths {
  std::string name;
  fs::path root;  // $KINDA_HOME/<name>

  fs::path db() const { return root / "state.db"; }
  fs::path config() const { return root / "config.json"; }
  fs::path volumes() const { return root / "volumes"; }  // volumes/<ns>/<pvc>/
  fs::path pods() const { return root / "pods"; }        // pods/<ns>/<pod>/ sandboxes
  fs::path logs() const { return root / "logs"; }        // logs/<ns>/<pod>/<container>.log
  fs::path run() const { return root / "run"; }
  fs::path api_socket() const { return run() / "api.sock"; }
  fs::path pid_file() const { return run() / "daemon.pid"; }
  // The HTTPS listener's address as last bound ("127.0.0.1:PORT"); a restart with port 0 tries
  // that port again first, so kubeconfigs written earlier stay valid.
  fs::path api_listen_file() const { return run() / "api.listen"; }
  // TLS material and the bearer token of the optional TCP listener, made on its first start.
  fs::path pki() const { return root / "pki"; }  // mode 0700
  fs::path ca_cert() const { return pki() / "ca.crt"; }
  fs::path ca_key() const { return pki() / "ca.key"; }
  fs::path server_cert() const { return pki() / "server.crt"; }
  fs::path server_key() const { return pki() / "server.key"; }
  fs::path api_token() const { return pki() / "token"; }
  fs::path daemon_log() const { return root / "daemon.log"; }
};

// $KINDA_HOME, else ${XDG_STATE_HOME:-$HOME/.local/state}/kinda.
fs::path kinda_home();
// The cluster's name: the explicit one, else $KINDA_CLUSTER, else "default".
std::string cluster_name(const std::string& explicit_name);
// Paths of a cluster; the name must be a DNS-1123 label because it becomes a directory.
Result<ClusterPaths> cluster_paths(const std::string& name);
// Creates the cluster's directory, or tightens an existing one, with mode 0700: it holds the
// state database (Secrets among it), the volumes and the logs, which are its owner's alone.
Status create_cluster_root(const ClusterPaths& paths);

}  // namespace kinda::storage
