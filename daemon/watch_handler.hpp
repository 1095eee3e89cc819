// `?watch=true`: a chunked stream of {"type","object"} lines fed by the store's revision log,
// starting after the requested resourceVersion (or with the current objects as ADDED events).
#pragma once

#include <string>

#include "api/resources.hpp"
#include "daemon/http_types.hpp"
#include "daemon/object_service.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::daemon {

Reply watch_reply(boost::asio::io_context& io, ObjectService& objects,
                  const api::ResourceInfo& resource, const std::string& ns, ListOptions options,
                  const Request& request);

}  // namespace kinda::daemon
