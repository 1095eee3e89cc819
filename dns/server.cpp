#include "dns/server.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "dns/answer_sources.hpp"
#include "dns/tcp_listener.hpp"
#include "dns/udp_listener.hpp"

namespace kinda::dns {

namespace asio = boost::asio;

namespace {
constexpr std::chrono::milliseconds kDefaultIdleTimeout{10'000};
// With port 0 the kernel picks a free UDP port that may be taken for TCP; try a few.
constexpr int kFreePortAttempts = 16;

struct ListenAddress {
  asio::ip::address ip;
  uint16_t port;
};

// True when queries sent to `server` would reach one of our own sockets. A wildcard listen
// address receives on every local address; loopback ones are the local ones we can name.
bool reaches_us(const UpstreamServer& server, const std::vector<ListenAddress>& ours) {
  boost::system::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(server.address, ec);
  if (ec) return false;
  return std::any_of(ours.begin(), ours.end(), [&](const ListenAddress& listen) {
    if (listen.port != server.port) return false;
    if (listen.ip.is_unspecified()) return ip.is_loopback() || ip.is_unspecified();
    return listen.ip == ip;
  });
}

}  // namespace

struct Server::Impl {
  Impl(asio::io_context& io_context, const ZoneIndex& zone)
      : io(io_context), sources{zone, nullptr} {}

  asio::io_context& io;
  AnswerSources sources;
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;
  std::vector<ListenAddress> listening;
  std::vector<std::shared_ptr<UdpListener>> udp;
  std::vector<std::shared_ptr<TcpListener>> tcp;
};

Server::Server(asio::io_context& io, const ZoneIndex& index)
    : impl_(std::make_unique<Impl>(io, index)) {}

Server::~Server() {
  stop();
}

void Server::set_tcp_idle_timeout(std::chrono::milliseconds timeout) {
  impl_->idle_timeout = timeout;
}

Result<uint16_t> Server::listen(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) return Error::bad_request("DNS listen address \"" + address + "\" is not an IP address");
  const auto where = [&](uint16_t p) {
    return (ip.is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(p);
  };
  for (int attempt = 0; attempt < (port == 0 ? kFreePortAttempts : 1); ++attempt) {
    auto udp = std::make_shared<UdpListener>(impl_->io, impl_->sources);
    if (ec = udp->open({ip, port}); ec)
      return Error::internal("cannot serve DNS on udp " + where(port) + ": " + ec.message());
    const uint16_t bound = udp->port();
    auto tcp = std::make_shared<TcpListener>(impl_->io, impl_->sources, impl_->idle_timeout);
    if (ec = tcp->open({ip, bound}); ec) {
      udp->stop();
      if (port == 0 && ec == asio::error::address_in_use) continue;
      return Error::internal("cannot serve DNS on tcp " + where(bound) + ": " + ec.message());
    }
    udp->start();
    tcp->start();
    impl_->udp.push_back(std::move(udp));
    impl_->tcp.push_back(std::move(tcp));
    impl_->listening.push_back({ip, bound});
    spdlog::info("DNS serving on {} (udp and tcp)", where(bound));
    return bound;
  }
  return Error::internal("cannot serve DNS on " + address + ": no port free for both udp and tcp");
}

Result<std::vector<UpstreamServer>> Server::forward(ForwarderOptions options) {
  impl_->sources.forwarder.reset();
  std::erase_if(options.servers, [this](const UpstreamServer& server) {
    const bool loop = reaches_us(server, impl_->listening);
    if (loop) spdlog::warn("DNS forwarding: {} is our own address; left out", server.to_string());
    return loop;
  });
  if (options.servers.empty()) return std::vector<UpstreamServer>{};
  auto forwarder = Forwarder::open(impl_->io, std::move(options));
  if (!forwarder) return forwarder.error();
  impl_->sources.forwarder = std::move(*forwarder);
  return impl_->sources.forwarder->servers();
}

void Server::stop() {
  for (const auto& udp : impl_->udp) udp->stop();
  for (const auto& tcp : impl_->tcp) tcp->stop();
  impl_->udp.clear();
  impl_->tcp.clear();
  impl_->sources.forwarder.reset();
}

}  // namespace kinda::dns
