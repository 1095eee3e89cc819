// The certificates of the API's HTTPS listener: a cluster CA (which kubeconfigs trust) and a
// server certificate it signs for the listener's address, 127.0.0.1, ::1 and localhost. Both are
// EC P-256, made with OpenSSL on the listener's first start and kept under <cluster>/pki/ (0700,
// keys 0600), so every later start serves the same identity. A server certificate that no longer
// fits (another address, near its end, or not signed by the CA) is issued again by the same CA.
#pragma once

#include <filesystem>
#include <string>

#include "api/error.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::apiserver {

// Makes or reuses ca.crt/ca.key and server.crt/server.key for a listener on `host` (an IP).
Status ensure_tls_identity(const storage::ClusterPaths& paths, const std::string& host);

}  // namespace kinda::apiserver
