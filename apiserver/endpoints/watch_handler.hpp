// `?watch=true`: a chunked stream of {"type","object"} lines fed by the store's revision log, as
// the API server's watch: from the current state as ADDED events (resourceVersion unset or "0"),
// or from the changes after resourceVersion N (a version the log no longer holds ends the watch
// with an ERROR event carrying 410 Expired); with sendInitialEvents=true the current state comes
// first and a BOOKMARK annotated k8s.io/initial-events-end marks its end. Selector watches send
// ADDED and DELETED as objects move into and out of the selector. allowWatchBookmarks=true adds
// a BOOKMARK with the newest resourceVersion every minute of the cluster's time scale, and
// timeoutSeconds ends the stream cleanly.
#pragma once

#include <chrono>
#include <string>

#include "api/resources.hpp"
#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_types.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::apiserver {

struct WatchSettings {
  // The API server sends a bookmark about once a minute; kinda scales that by its time scale.
  std::chrono::milliseconds bookmark_period{60000};
};

Reply watch_reply(boost::asio::io_context& io, ObjectService& objects,
                  const api::ResourceInfo& resource, const std::string& ns, ListOptions options,
                  const Request& request, const WatchSettings& settings = {});

}  // namespace kinda::apiserver
