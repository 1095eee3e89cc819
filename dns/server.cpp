#include "dns/server.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <spdlog/spdlog.h>

#include <vector>

#include "dns/tcp_listener.hpp"
#include "dns/udp_listener.hpp"

namespace kinda::dns {

namespace asio = boost::asio;

namespace {
constexpr std::chrono::milliseconds kDefaultIdleTimeout{10'000};
// With port 0 the kernel picks a free UDP port that may be taken for TCP; try a few.
constexpr int kFreePortAttempts = 16;
}  // namespace

struct Server::Impl {
  Impl(asio::io_context& io_context, const ZoneIndex& zone) : io(io_context), index(zone) {}

  asio::io_context& io;
  const ZoneIndex& index;
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;
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
    auto udp = std::make_shared<UdpListener>(impl_->io, impl_->index);
    if (ec = udp->open({ip, port}); ec)
      return Error::internal("cannot serve DNS on udp " + where(port) + ": " + ec.message());
    const uint16_t bound = udp->port();
    auto tcp = std::make_shared<TcpListener>(impl_->io, impl_->index, impl_->idle_timeout);
    if (ec = tcp->open({ip, bound}); ec) {
      udp->stop();
      if (port == 0 && ec == asio::error::address_in_use) continue;
      return Error::internal("cannot serve DNS on tcp " + where(bound) + ": " + ec.message());
    }
    udp->start();
    tcp->start();
    impl_->udp.push_back(std::move(udp));
    impl_->tcp.push_back(std::move(tcp));
    spdlog::info("DNS serving on {} (udp and tcp)", where(bound));
    return bound;
  }
  return Error::internal("cannot serve DNS on " + address + ": no port free for both udp and tcp");
}

void Server::stop() {
  for (const auto& udp : impl_->udp) udp->stop();
  for (const auto& tcp : impl_->tcp) tcp->stop();
  impl_->udp.clear();
  impl_->tcp.clear();
}

}  // namespace kinda::dns
