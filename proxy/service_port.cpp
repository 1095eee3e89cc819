#include "proxy/service_port.hpp"

#include <boost/asio/ip/address.hpp>

#include <spdlog/spdlog.h>

#include "proxy/tcp_service_listener.hpp"
#include "proxy/udp_service_listener.hpp"

namespace kinda::proxy {

namespace asio = boost::asio;

namespace {

std::shared_ptr<ServiceListener> make_listener(asio::io_context& io, const std::string& ip,
                                               uint16_t port, const ServicePortRoute& route,
                                               const ProxyOptions& options,
                                               std::shared_ptr<BackendPicker> picker) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address_v4(ip, ec);
  if (ec) return nullptr;
  if (route.protocol == Protocol::Udp)
    return std::make_shared<UdpServiceListener>(
        io, asio::ip::udp::endpoint(address, port), std::move(picker),
        options.scaled(options.udp_idle_timeout), route.key());
  return std::make_shared<TcpServiceListener>(io, asio::ip::tcp::endpoint(address, port),
                                              std::move(picker), options.connect, route.key());
}

std::chrono::milliseconds affinity_of(const ServicePortRoute& route, const ProxyOptions& options) {
  if (!route.client_ip_affinity) return {};
  // At least 1 ms: a very small time scale must not turn affinity off.
  return std::max(options.scaled(route.affinity_timeout), std::chrono::milliseconds(1));
}

std::string describe(std::chrono::milliseconds d) {
  return d.count() % 1000 ? std::to_string(d.count()) + " ms"
                          : std::to_string(d.count() / 1000) + " s";
}

}  // namespace

ServicePort::ServicePort(asio::io_context& io, const ServicePortRoute& route,
                         const ProxyOptions& options, ListenFailureHandler on_failure)
    : io_(io),
      route_(route),
      options_(options),
      on_failure_(std::move(on_failure)),
      picker_(std::make_shared<BackendPicker>(affinity_of(route, options))) {
  picker_->set_backends(route.backends);
  add_listener(route.cluster_ip, route.port, "ClusterIP");
  if (route.node_port) add_listener(options.node_address, route.node_port, "NodePort");
  sync_listeners();
}

void ServicePort::add_listener(const std::string& ip, uint16_t port, const std::string& kind) {
  if (auto socket = make_listener(io_, ip, port, route_, options_, picker_))
    listeners_.push_back({std::move(socket),
                          ip + ":" + std::to_string(port) + "/" + to_string(route_.protocol),
                          kind});
}

ServicePort::~ServicePort() {
  for (auto& listener : listeners_) listener.socket->close();
}

std::string ServicePort::listen_identity(const ServicePortRoute& route) {
  return route.key() + " " + route.cluster_ip + ":" + std::to_string(route.port);
}

bool ServicePort::listening() const {
  for (const auto& listener : listeners_)
    if (listener.socket->is_open()) return true;
  return false;
}

void ServicePort::update(const ServicePortRoute& route) {
  if (route == route_) return;
  if (route.client_ip_affinity != route_.client_ip_affinity ||
      route.affinity_timeout != route_.affinity_timeout)
    picker_->set_affinity_timeout(affinity_of(route, options_));
  const bool endpoints_changed = route.backends != route_.backends;
  const bool node_port_changed = route.node_port != route_.node_port;
  route_ = route;
  if (node_port_changed) {
    std::erase_if(listeners_, [](Listener& listener) {
      if (listener.kind != "NodePort") return false;
      listener.socket->close();
      return true;
    });
    if (route.node_port) add_listener(options_.node_address, route.node_port, "NodePort");
  }
  if (endpoints_changed) {
    picker_->set_backends(route.backends);
    for (auto& listener : listeners_) listener.socket->endpoints_changed();
  }
  sync_listeners();
}

void ServicePort::retry() {
  sync_listeners();
}

void ServicePort::sync_listeners() {
  const bool wanted = !picker_->empty();
  for (auto& listener : listeners_) {
    if (!wanted) {
      if (listener.socket->is_open())
        spdlog::info("proxy {}: no endpoints; {} refuses connections", route_.key(),
                     listener.description);
      listener.socket->close();
      continue;
    }
    if (listener.socket->is_open()) continue;
    auto opened = listener.socket->open();
    if (opened) {
      spdlog::info("proxy {}: listening on {} for {} endpoint(s)", route_.key(),
                   listener.description, picker_->backends().size());
      listener.failed = false;
      continue;
    }
    if (listener.failed) continue;  // said once; retried quietly
    listener.failed = true;
    std::string message =
        listener.kind + " of port " +
        (route_.port_name.empty() ? std::to_string(route_.port) : "\"" + route_.port_name + "\"") +
        ": " + opened.error().message + "; retrying every " + describe(options_.listen_retry);
    spdlog::warn("proxy {}: {}", route_.key(), message);
    if (on_failure_) on_failure_({route_.ns, route_.service, message});
  }
}

}  // namespace kinda::proxy
