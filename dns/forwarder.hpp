// Answers queries for names outside the cluster's zone by sending them, as they came, to upstream
// servers through a c-ares channel on the caller's io_context, and relaying the upstream's reply
// shaped for the client (forwarded_reply.hpp). Caps how many queries wait at once; beyond that,
// and when no upstream answers in time, the client gets SERVFAIL. Use from the io_context's thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "api/error.hpp"
#include "dns/upstream.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::dns {

class AresChannel;
struct ForwardedQuery;

struct ForwarderOptions {
  std::vector<UpstreamServer> servers;      // tried in order
  std::chrono::milliseconds timeout{1500};  // per try; c-ares doubles it on each later round
  int tries = 2;
  size_t max_outstanding = 1024;
};

class Forwarder {
 public:
  // Receives the reply packet for the client; empty when there is nothing to send.
  using ReplyHandler = std::function<void(std::vector<uint8_t> reply)>;

  static Result<std::unique_ptr<Forwarder>> open(boost::asio::io_context& io,
                                                 ForwarderOptions options);
  // Replies still waiting for an upstream are dropped: their handlers never run.
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // `transport_limit` is 512 for UDP (the query's EDNS payload size may raise it) and 65535 for
  // TCP. `reply` runs once: later, or at once when the query is malformed or too many wait.
  void forward(std::span<const uint8_t> query, size_t transport_limit, ReplyHandler reply);

  const std::vector<UpstreamServer>& servers() const { return options_.servers; }
  size_t outstanding() const { return outstanding_; }

 private:
  Forwarder(ForwarderOptions options, std::unique_ptr<AresChannel> channel);
  void note_outcome(int status, const ForwardedQuery& query);

  ForwarderOptions options_;
  std::unique_ptr<AresChannel> channel_;
  size_t outstanding_ = 0;
  bool full_reported_ = false;     // the cap was hit and logged; reset once the queue drains
  bool failure_reported_ = false;  // upstream failures were logged; reset on the next answer
};

}  // namespace kinda::dns
