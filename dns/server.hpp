// Serves a ZoneIndex over UDP and TCP on one or more addresses, on the caller's io_context and
// without ever blocking it: TCP follows RFC 7766 (length-prefixed messages, several queries per
// connection, idle timeout). Names outside the zone are REFUSED, or forwarded to upstream servers
// once forward() names some. The index must outlive the server; call stop() and the destructor
// on the io_context's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/error.hpp"
#include "dns/forwarder.hpp"
#include "dns/upstream.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::dns {

class ZoneIndex;

class Server {
 public:
  Server(boost::asio::io_context& io, const ZoneIndex& index);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds UDP and TCP on address:port (port 0 picks a free port, the same for both). May be
  // called again to listen on more addresses. Returns the bound port, or an Error saying why
  // not (malformed address, address in use, permission denied for a port below 1024).
  Result<uint16_t> listen(const std::string& address, uint16_t port);
  // Answers names outside the zone from options.servers instead of refusing them. A server that
  // is one of our own listen addresses is left out, so a query can never come back to us: call
  // after listen(). Returns the servers kept; with none kept, names outside the zone stay
  // REFUSED. Replaces any earlier forwarder.
  Result<std::vector<UpstreamServer>> forward(ForwarderOptions options);
  // How long a TCP connection may sit without a complete query before we close it (RFC 7766
  // §6.2.3 suggests seconds); applies to connections accepted afterwards. Default 10 s.
  void set_tcp_idle_timeout(std::chrono::milliseconds timeout);
  // Closes every socket, connections included, and drops forwarded queries still waiting for
  // their upstream; queued completions then find nothing to do.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::dns
