// The backend side of a newly accepted ClusterIP or NodePort connection: picks an endpoint,
// connects to it from the client's own address and hands both sockets to the relay. An endpoint
// that refuses or does not answer within the timeout is skipped for the next one (as kube-proxy's
// userspace mode retried), up to a few; when none answers the client gets a reset.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>

#include "proxy/backend_picker.hpp"
#include "proxy/tcp_relay.hpp"

namespace kinda::proxy {

struct ConnectOptions {
  std::chrono::milliseconds timeout{5000};  // per endpoint tried
  int attempts = 3;
  RelayOptions relay;
};

void connect_to_backend(boost::asio::ip::tcp::socket client, std::shared_ptr<BackendPicker> picker,
                        const ConnectOptions& options, const std::string& route_key);

}  // namespace kinda::proxy
