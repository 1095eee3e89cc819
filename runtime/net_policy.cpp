#include "runtime/net_policy.hpp"

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>

namespace kinda::runtime {
namespace {

constexpr uint32_t kLocalhost = 0x7f000001;  // 127.0.0.1

bool is_any(in_addr a) {
  return a.s_addr == htonl(INADDR_ANY);
}
bool is_localhost(in_addr a) {
  return a.s_addr == htonl(kLocalhost);
}
bool same(in_addr a, in_addr b) {
  return a.s_addr == b.s_addr;
}

bool v6_is_mapped(const in6_addr& a) {
  return IN6_IS_ADDR_V4MAPPED(&a);
}
in_addr v4_of(const in6_addr& a) {
  in_addr out;
  std::memcpy(&out, a.s6_addr + 12, 4);
  return out;
}
in6_addr embedded(in_addr v4, bool mapped) {
  in6_addr out{};
  if (mapped) out.s6_addr[10] = out.s6_addr[11] = 0xff;
  std::memcpy(out.s6_addr + 12, &v4, 4);
  return out;
}
bool v6_is_compat_of(const in6_addr& a, in_addr pod) {
  auto compat = embedded(pod, false);
  return std::memcmp(&a, &compat, sizeof a) == 0;
}

InetAddress v4_address(in_addr ip, uint16_t port) {
  InetAddress a;
  a.family = AF_INET;
  a.v4 = ip;
  a.port = port;
  return a;
}
InetAddress v6_address(in6_addr ip, uint16_t port) {
  InetAddress a;
  a.family = AF_INET6;
  a.v6 = ip;
  a.port = port;
  return a;
}

// 127.0.0.1, 0.0.0.0, ::1, :: and their mapped forms: what a pod calls itself.
bool means_the_pod_itself(const InetAddress& a) {
  if (a.family == AF_INET) return is_any(a.v4) || is_localhost(a.v4);
  if (IN6_IS_ADDR_LOOPBACK(&a.v6) || IN6_IS_ADDR_UNSPECIFIED(&a.v6)) return true;
  return v6_is_mapped(a.v6) && (is_any(v4_of(a.v6)) || is_localhost(v4_of(a.v6)));
}

BindPlan refuse(int error) {
  BindPlan plan;
  plan.error = error;
  return plan;
}

}  // namespace

std::optional<InetAddress> inet_address_of(const void* sockaddr, size_t length) {
  if (length < sizeof(sa_family_t)) return std::nullopt;
  sa_family_t family;
  std::memcpy(&family, sockaddr, sizeof family);
  if (family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in in;
    std::memcpy(&in, sockaddr, sizeof in);
    return v4_address(in.sin_addr, ntohs(in.sin_port));
  }
  if (family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6;
    std::memcpy(&in6, sockaddr, sizeof in6);
    auto a = v6_address(in6.sin6_addr, ntohs(in6.sin6_port));
    a.flowinfo = in6.sin6_flowinfo;
    a.scope_id = in6.sin6_scope_id;
    return a;
  }
  return std::nullopt;
}

socklen_t to_sockaddr(const InetAddress& address, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof out);
  if (address.family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&out);
    in->sin_family = AF_INET;
    in->sin_addr = address.v4;
    in->sin_port = htons(address.port);
    return sizeof(sockaddr_in);
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&out);
  in6->sin6_family = AF_INET6;
  in6->sin6_addr = address.v6;
  in6->sin6_port = htons(address.port);
  in6->sin6_flowinfo = address.flowinfo;
  in6->sin6_scope_id = address.scope_id;
  return sizeof(sockaddr_in6);
}

std::string to_string(const InetAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.family == AF_INET) {
    ::inet_ntop(AF_INET, &address.v4, text, sizeof text);
    return std::string(text) + ":" + std::to_string(address.port);
  }
  ::inet_ntop(AF_INET6, &address.v6, text, sizeof text);
  return "[" + std::string(text) + "]:" + std::to_string(address.port);
}

BindPlan plan_bind(const InetAddress& requested, bool v6only, in_addr pod) {
  BindPlan plan;
  if (requested.family == AF_INET) {
    if (!is_any(requested.v4) && !is_localhost(requested.v4) && !same(requested.v4, pod))
      return refuse(EADDRNOTAVAIL);
    plan.address = v4_address(pod, requested.port);
    return plan;
  }
  const auto& ip = requested.v6;
  const bool wildcard_or_loopback = IN6_IS_ADDR_UNSPECIFIED(&ip) || IN6_IS_ADDR_LOOPBACK(&ip);
  if (v6only) {
    if (v6_is_mapped(ip)) return refuse(EINVAL);  // what the kernel answers an IPv6-only socket
    if (!wildcard_or_loopback && !v6_is_compat_of(ip, pod)) return refuse(EADDRNOTAVAIL);
    plan.address = v6_address(embedded(pod, false), requested.port);
    plan.freebind = true;
    return plan;
  }
  bool ours = wildcard_or_loopback;
  if (v6_is_mapped(ip)) {
    auto v4 = v4_of(ip);
    ours = is_any(v4) || is_localhost(v4) || same(v4, pod);
  }
  if (!ours) return refuse(EADDRNOTAVAIL);
  plan.address = v6_address(embedded(pod, true), requested.port);
  return plan;
}

BindPlan plan_listen(sa_family_t family, bool v6only, in_addr pod) {
  InetAddress wildcard;
  wildcard.family = family;
  return plan_bind(wildcard, v6only, pod);
}

PeerPlan plan_peer(const InetAddress& destination, bool v6only, in_addr pod) {
  PeerPlan plan;
  if (destination.family == AF_INET) {
    plan.source = v4_address(pod, 0);
    if (means_the_pod_itself(destination)) plan.rewrite = v4_address(pod, destination.port);
    return plan;
  }
  const bool itself = means_the_pod_itself(destination);
  if (v6only) {
    // The pod's own IPv6-only listeners sit on an unreachable placeholder (see the header).
    if (itself) plan.error = ECONNREFUSED;
    return plan;  // other IPv6 peers: the host's IPv6, as a pod's IPv6 egress would be
  }
  if (itself) {
    plan.source = v6_address(embedded(pod, true), 0);
    plan.rewrite = v6_address(embedded(pod, true), destination.port);
    plan.rewrite->flowinfo = destination.flowinfo;
  } else if (v6_is_mapped(destination.v6)) {
    plan.source = v6_address(embedded(pod, true), 0);
  }
  return plan;
}

}  // namespace kinda::runtime
