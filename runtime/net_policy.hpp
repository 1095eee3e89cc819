// Where a pod's sockets may bind and what their peers' addresses become, so every pod owns its
// address on the shared loopback as it owns its IP on Kubernetes. The pod's supervisor (see
// net_supervisor.hpp) asks these functions about each bind, connect and send it intercepts; they
// decide from addresses alone, with no I/O, so the rules are tested without a kernel.
//
// The rules, for a pod whose IP is P (an address of 127.0.0.0/8):
// - binds of 0.0.0.0, 127.0.0.1 or P land on P (a dual-stack IPv6 socket's ::, ::1 on
//   ::ffff:P); any other address is not the pod's: EADDRNOTAVAIL, as in a pod's network namespace;
// - an IPv6-only socket has no IPv4 to fall back on, and kinda's pods have no IPv6 address of their
//   own: its :: or ::1 is bound, with IPV6_FREEBIND, on ::P (the IPv4-compatible form), where it
//   collides with nothing and no traffic reaches it, as in a single-stack IPv4 cluster's pod that
//   only has ::1;
// - 127.0.0.1 (and 0.0.0.0, ::1, ::) as a destination means the pod itself: P;
// - a socket that reaches IPv4 peers unbound is bound to P first, so peers see the pod's address.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

namespace kinda::runtime {

struct InetAddress {
  sa_family_t family = AF_INET;
  in_addr v4{};       // AF_INET
  in6_addr v6{};      // AF_INET6
  uint16_t port = 0;  // host byte order
  uint32_t flowinfo = 0, scope_id = 0;
};

// nullopt for anything but a complete sockaddr_in or sockaddr_in6.
std::optional<InetAddress> inet_address_of(const void* sockaddr, size_t length);
// The sockaddr for `address`; returns its length.
socklen_t to_sockaddr(const InetAddress& address, sockaddr_storage& out);
std::string to_string(const InetAddress& address);

struct BindPlan {
  int error = 0;          // errno to answer instead of binding
  InetAddress address;    // what to bind instead of what was asked
  bool freebind = false;  // an IPv6-only socket's placeholder (see above)
};
BindPlan plan_bind(const InetAddress& requested, bool v6only, in_addr pod);

// Where an unbound socket goes before it listens (listen(2) would otherwise pick the wildcard).
BindPlan plan_listen(sa_family_t family, bool v6only, in_addr pod);

struct PeerPlan {
  int error = 0;                       // errno to answer instead of going on
  std::optional<InetAddress> rewrite;  // the destination to use instead: the pod itself
  std::optional<InetAddress> source;   // bind an unbound socket here before it leaves
};
// For connect, sendto and sendmsg towards `destination`.
PeerPlan plan_peer(const InetAddress& destination, bool v6only, in_addr pod);

}  // namespace kinda::runtime
