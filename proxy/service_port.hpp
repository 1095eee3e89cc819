// One Service port as the proxy serves it: its endpoints' picker and its listeners (the ClusterIP,
// and 127.0.0.1 at the NodePort when it has one). Listeners open while there are endpoints and
// close when there are none; one that cannot bind is reported once and tried again later.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "proxy/backend_picker.hpp"
#include "proxy/proxy_options.hpp"
#include "proxy/route_table.hpp"
#include "proxy/service_listener.hpp"

namespace kinda::proxy {

using ListenFailureHandler = std::function<void(const ListenFailure&)>;

class ServicePort {
 public:
  ServicePort(boost::asio::io_context& io, const ServicePortRoute& route,
              const ProxyOptions& options, ListenFailureHandler on_failure);
  ~ServicePort();
  ServicePort(const ServicePort&) = delete;
  ServicePort& operator=(const ServicePort&) = delete;

  // The same listen addresses with new endpoints or affinity settings.
  void update(const ServicePortRoute& route);
  // Opens listeners that failed to bind before, if the port still has endpoints.
  void retry();
  // The route's ClusterIP address: routes of equal identity are updated in place (endpoints,
  // affinity, NodePort), others get listeners anew.
  static std::string listen_identity(const ServicePortRoute& route);
  bool listening() const;

 private:
  struct Listener {
    std::shared_ptr<ServiceListener> socket;
    std::string description;  // "127.0.0.1:30080/TCP"
    std::string kind;         // "ClusterIP" or "NodePort"
    bool failed = false;      // reported; quiet until it opens again
  };
  void add_listener(const std::string& ip, uint16_t port, const std::string& kind);
  void sync_listeners();

  boost::asio::io_context& io_;
  ServicePortRoute route_;
  ProxyOptions options_;
  ListenFailureHandler on_failure_;
  std::shared_ptr<BackendPicker> picker_;
  std::vector<Listener> listeners_;
};

}  // namespace kinda::proxy
