// Kubeconfig files for kubectl and client libraries: one cluster, user and context named
// kinda-<cluster> (server URL, the cluster CA, the bearer token), either alone or merged into an
// existing file whose other clusters, users and contexts stay as they were.
#pragma once

#include <filesystem>
#include <string>

#include "api/error.hpp"

namespace kinda::cli {

struct KubeconfigEntry {
  std::string name;    // "kinda-<cluster>": the cluster, user and context entries alike
  std::string server;  // "https://127.0.0.1:PORT"
  std::string ca_pem;  // the cluster CA certificate, PEM
  std::string token;   // the bearer token
};

// A kubeconfig with just this entry, current-context set to it.
std::string render_kubeconfig(const KubeconfigEntry& entry);
// `existing` (a kubeconfig's YAML; empty for none) with the entry's cluster, user and context
// replaced or added and current-context set to it; everything else is kept. An error when
// `existing` is not a kubeconfig.
Result<std::string> merge_kubeconfig(const std::string& existing, const KubeconfigEntry& entry);
// Where kubectl writes: the first file of $KUBECONFIG, else ~/.kube/config.
std::filesystem::path default_kubeconfig_path();

}  // namespace kinda::cli
