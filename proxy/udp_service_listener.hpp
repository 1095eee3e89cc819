// A Service port's UDP listener on one address. Each client (address, port) gets a flow: a socket
// of its own, bound to the client's address so the endpoint sees the client pod, connected to the
// endpoint chosen for it. Datagrams from the client go out on the flow; the endpoint's replies go
// back to the client from the Service's address, as the client's connected socket expects. A
// flow ends after it has been idle for the idle timeout (kube-proxy leaves this to conntrack's
// UDP timeout) or when its endpoint goes away.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "proxy/backend_picker.hpp"
#include "proxy/service_listener.hpp"

namespace kinda::proxy {

class UdpFlow;

class UdpServiceListener final : public ServiceListener,
                                 public std::enable_shared_from_this<UdpServiceListener> {
 public:
  UdpServiceListener(boost::asio::io_context& io, boost::asio::ip::udp::endpoint at,
                     std::shared_ptr<BackendPicker> picker, std::chrono::milliseconds idle_timeout,
                     std::string route_key);
  ~UdpServiceListener() override;
  Status open() override;
  void close() override;
  bool is_open() const override { return socket_ && socket_->is_open(); }
  void endpoints_changed() override;

  size_t flow_count() const { return flows_.size(); }

 private:
  void wait_for_datagrams();
  void forward(const boost::asio::ip::udp::endpoint& client, size_t bytes);
  void sweep();

  boost::asio::io_context& io_;
  boost::asio::ip::udp::endpoint at_;
  std::shared_ptr<BackendPicker> picker_;
  std::chrono::milliseconds idle_timeout_;
  std::string route_key_;
  std::shared_ptr<boost::asio::ip::udp::socket> socket_;  // shared with the flows' replies
  // One datagram at a time moves through the proxy thread, so one buffer serves every flow.
  std::shared_ptr<std::vector<char>> buffer_;
  std::map<boost::asio::ip::udp::endpoint, std::shared_ptr<UdpFlow>> flows_;
  boost::asio::steady_timer sweeper_;
};

}  // namespace kinda::proxy
