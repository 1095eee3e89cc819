// Starts the API's optional HTTPS listener (config.json api.listen): makes or reuses the cluster's
// TLS identity and bearer token, binds the address, and records the bound address in
// run/api.listen. With port 0 the port bound last time is tried first, so a kubeconfig written
// before a restart keeps working whenever that port is still free.
#pragma once

#include <string>

#include "api/error.hpp"
#include "apiserver/transport/http_server.hpp"
#include "apiserver/transport/listen_address.hpp"
#include "storage/cluster_home.hpp"

namespace kinda::apiserver {

// Returns the bound address, "127.0.0.1:PORT".
Result<std::string> start_https_listener(HttpServer& http, const storage::ClusterPaths& paths,
                                         const ListenAddress& listen);

}  // namespace kinda::apiserver
