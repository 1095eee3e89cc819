#include "proxy/proxy_server.hpp"

#include <set>

namespace kinda::proxy {

namespace asio = boost::asio;

ProxyServer::ProxyServer(asio::io_context& io, ProxyOptions options)
    : io_(io), options_(std::move(options)), retry_timer_(io) {}

ProxyServer::~ProxyServer() {
  stop();
}

void ProxyServer::apply(const RouteTable& table) {
  if (stopped_) return;
  std::map<std::string, const ServicePortRoute*> wanted;
  for (const auto& route : table.routes)
    wanted.emplace(ServicePort::listen_identity(route), &route);
  // Close, then change, then open: a port that moved from one Service to another is free again
  // before its new listener binds.
  std::erase_if(ports_, [&wanted](const auto& entry) { return !wanted.count(entry.first); });
  for (const auto& [identity, route] : wanted)
    if (auto it = ports_.find(identity); it != ports_.end()) it->second->update(*route);
  for (const auto& [identity, route] : wanted)
    if (!ports_.count(identity))
      ports_.emplace(identity, std::make_unique<ServicePort>(io_, *route, options_, on_failure_));
  schedule_retry();
}

void ProxyServer::schedule_retry() {
  if (stopped_ || options_.listen_retry.count() <= 0) return;
  if (retry_timer_.expiry() > asio::steady_timer::clock_type::now()) return;  // one is pending
  retry_timer_.expires_after(options_.listen_retry);
  retry_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    for (auto& [identity, port] : ports_) port->retry();
    schedule_retry();
  });
}

void ProxyServer::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  ports_.clear();
}

}  // namespace kinda::proxy
