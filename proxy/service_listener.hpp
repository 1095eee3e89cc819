// One address a Service port is reached on (its ClusterIP, or 127.0.0.1 at its NodePort), for
// TCP or UDP. A listener is open only while the port has endpoints: with none, no socket exists
// and the kernel refuses (TCP RST, or ICMP port unreachable for UDP) at once, as kube-proxy's
// REJECT rule does.
#pragma once

#include <string>

#include "api/error.hpp"

namespace kinda::proxy {

class ServiceListener {
 public:
  virtual ~ServiceListener() = default;
  // Binds and starts serving; an error (the port is taken) leaves the listener closed.
  virtual Status open() = 0;
  // Stops taking new connections or datagrams. TCP connections already relayed go on.
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // The picker's endpoints changed (UDP flows to an endpoint that is gone end, so their next
  // datagram picks another one, as kube-proxy clears their conntrack entries).
  virtual void endpoints_changed() {}
};

}  // namespace kinda::proxy
