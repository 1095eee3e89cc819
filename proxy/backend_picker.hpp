// Chooses the endpoint of one Service port for a new connection or UDP flow: round-robin over the
// endpoints, or, with sessionAffinity ClientIP, the endpoint a client IP had last, until it has
// been idle for the affinity timeout or the endpoint goes away. Pure logic with the time passed
// in, so the tests need no clock; the proxy keeps one per Service port, shared by its ClusterIP
// and NodePort listeners as kube-proxy shares one affinity table per service port.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/route_table.hpp"

namespace kinda::proxy {

class BackendPicker {
 public:
  using Clock = std::chrono::steady_clock;

  // timeout: how long an affinity lasts without a new connection; zero turns affinity off.
  explicit BackendPicker(std::chrono::milliseconds affinity_timeout = {})
      : affinity_timeout_(affinity_timeout) {}

  // Replaces the endpoints; affinities to endpoints that are gone are forgotten.
  void set_backends(std::vector<Backend> backends);
  void set_affinity_timeout(std::chrono::milliseconds timeout);
  const std::vector<Backend>& backends() const { return backends_; }
  bool empty() const { return backends_.empty(); }

  // The endpoint for a new connection from `client_ip`, skipping those in `exclude` (endpoints a
  // connection has already failed to reach); nullopt when none is left.
  std::optional<Backend> pick(const std::string& client_ip, Clock::time_point now,
                              const std::vector<Backend>& exclude = {});

 private:
  struct Affinity {
    Backend backend;
    Clock::time_point last_used;
  };
  bool has_backend(const Backend& backend) const;
  std::optional<Backend> next_round_robin(const std::vector<Backend>& exclude);
  void expire(Clock::time_point now);

  std::vector<Backend> backends_;
  size_t next_ = 0;
  std::chrono::milliseconds affinity_timeout_;
  std::unordered_map<std::string, Affinity> affinities_;  // client IP → its endpoint
  Clock::time_point next_expiry_sweep_{};
};

}  // namespace kinda::proxy
