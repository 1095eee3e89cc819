#include "proxy/udp_service_listener.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "proxy/udp_flow.hpp"

namespace kinda::proxy {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {
constexpr size_t kMaxDatagram = 65536;
constexpr int kDatagramsPerWakeUp = 64;
}  // namespace

UdpServiceListener::UdpServiceListener(asio::io_context& io, udp::endpoint at,
                                       std::shared_ptr<BackendPicker> picker,
                                       std::chrono::milliseconds idle_timeout,
                                       std::string route_key)
    : io_(io),
      at_(std::move(at)),
      picker_(std::move(picker)),
      idle_timeout_(std::max(idle_timeout, std::chrono::milliseconds(10))),
      route_key_(std::move(route_key)),
      buffer_(std::make_shared<std::vector<char>>(kMaxDatagram)),
      sweeper_(io) {}

UdpServiceListener::~UdpServiceListener() {
  close();
}

Status UdpServiceListener::open() {
  if (is_open()) return Ok{};
  auto socket = std::make_shared<udp::socket>(io_);
  boost::system::error_code ec;
  socket->open(at_.protocol(), ec);
  if (!ec) socket->bind(at_, ec);
  if (!ec) socket->non_blocking(true, ec);
  if (ec)
    return Error::internal("cannot listen on " + at_.address().to_string() + ":" +
                           std::to_string(at_.port()) + "/UDP: " + ec.message());
  socket_ = std::move(socket);
  wait_for_datagrams();
  sweep();
  return Ok{};
}

void UdpServiceListener::close() {
  for (auto& [client, flow] : flows_) flow->close();
  flows_.clear();
  if (socket_) {
    boost::system::error_code ec;
    socket_->close(ec);
    socket_.reset();  // the flows' pending handlers hold the old one until they see it closed
  }
  sweeper_.cancel();
}

void UdpServiceListener::endpoints_changed() {
  const auto& backends = picker_->backends();
  std::erase_if(flows_, [&backends](auto& entry) {
    if (std::find(backends.begin(), backends.end(), entry.second->backend()) != backends.end())
      return false;
    entry.second->close();
    return true;
  });
}

void UdpServiceListener::wait_for_datagrams() {
  socket_->async_wait(udp::socket::wait_read, [self = shared_from_this(),
                                               socket = socket_](boost::system::error_code ec) {
    if (ec || socket != self->socket_) return;  // closed, perhaps reopened since
    for (int i = 0; i < kDatagramsPerWakeUp; ++i) {
      udp::endpoint client;
      size_t n = socket->receive_from(asio::buffer(*self->buffer_), client, 0, ec);
      if (ec == asio::error::would_block) break;
      if (ec) continue;  // an ICMP error queued for an earlier reply: nothing to do with it
      self->forward(client, n);
    }
    self->wait_for_datagrams();
  });
}

void UdpServiceListener::forward(const udp::endpoint& client, size_t bytes) {
  auto it = flows_.find(client);
  if (it != flows_.end() && it->second->closed()) {
    flows_.erase(it);
    it = flows_.end();
  }
  if (it == flows_.end()) {
    auto backend = picker_->pick(client.address().to_string(), BackendPicker::Clock::now());
    if (!backend) return;
    udp::socket socket(io_);
    if (auto ec = UdpFlow::open_socket(socket, client, *backend)) {
      spdlog::debug("proxy {}: no flow from {} to {}: {}", route_key_, client.address().to_string(),
                    backend->to_string(), ec.message());
      return;
    }
    auto flow = std::make_shared<UdpFlow>(std::move(socket), client, *backend, socket_, buffer_);
    flow->start();
    it = flows_.emplace(client, std::move(flow)).first;
  }
  it->second->send(buffer_->data(), bytes);
}

void UdpServiceListener::sweep() {
  const auto now = UdpFlow::Clock::now();
  std::erase_if(flows_, [&](auto& entry) {
    if (!entry.second->closed() && now - entry.second->last_active() < idle_timeout_) return false;
    entry.second->close();
    return true;
  });
  sweeper_.expires_after(std::max(idle_timeout_ / 4, std::chrono::milliseconds(5)));
  sweeper_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && !ec && self->is_open()) self->sweep();
  });
}

}  // namespace kinda::proxy
