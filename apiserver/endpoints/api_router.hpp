// Maps Kubernetes API paths (/api/v1/…, /apis/apps/v1/…, discovery, /version) to the object
// service, watches, subresources (status, scale, log, eviction) and kinda's own /kinda/status and
// /kinda/nodes/{name}/{fail|recover}.
#pragma once

#include <functional>

#include "api/pod_log_request.hpp"
#include "apiserver/endpoints/table_response.hpp"
#include "apiserver/endpoints/watch_handler.hpp"
#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_types.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::apiserver {

struct RouterHooks {
  std::function<Reply(const api::PodLogRequest&)> pod_log;
  std::function<nlohmann::json()> cluster_status;
  // POST /kinda/nodes/{name}/{fail|recover}: kinda's own node failure simulation.
  std::function<Result<nlohmann::json>(const std::string& node, const std::string& action)>
      node_action;
  // pods/{name}/exec (GET or POST): a WebSocket upgrade or the Status refusing it.
  std::function<Reply(const std::string& ns, const std::string& pod, const Request& request)>
      pod_exec;
  // The cluster's time scale: watches send their bookmarks every 60 s times it.
  double time_scale = 1.0;
};

class ApiRouter {
 public:
  ApiRouter(boost::asio::io_context& io, ObjectService& objects, RouterHooks hooks)
      : io_(io), objects_(objects), hooks_(std::move(hooks)) {}

  Reply handle(const Request& request);

 private:
  Reply handle_resource(const Request& request, const api::ResourceInfo& resource,
                        const std::string& ns, const std::string& name,
                        const std::string& subresource);
  // autoscaling/v1 Scale of a statefulset, deployment or replicaset (`target`).
  Reply handle_scale(const Request& request, const api::ResourceInfo& target, const std::string& ns,
                     const std::string& name, WriteOptions write);
  Reply delete_collection(const Request& request, const api::ResourceInfo& resource,
                          const std::string& ns);
  Reply handle_eviction(const Request& request, const std::string& ns, const std::string& name);
  Reply list_reply(const Request& request, const api::ResourceInfo& resource,
                   const std::string& ns);
  WatchSettings watch_settings() const;

  boost::asio::io_context& io_;
  ObjectService& objects_;
  TableRows table_rows_;  // server-side printing's rows of unchanged objects
  RouterHooks hooks_;
};

}  // namespace kinda::apiserver
