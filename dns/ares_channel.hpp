// A c-ares channel driven by the caller's io_context: c-ares names the sockets it wants watched
// (ARES_OPT_SOCK_STATE_CB), Asio waits for them and for c-ares' next timeout, and each wake-up
// goes back to ares_process_fd. No threads, no polling. Use from the io_context's thread only.
#pragma once

#include <chrono>
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

// c-ares' process-wide state is set up on first use; false when that failed.
bool ares_library_ready();

struct AresChannelOptions {
  std::vector<UpstreamServer> servers;      // tried in order; must not be empty
  std::chrono::milliseconds timeout{2000};  // per try, before c-ares moves to the next server
  int tries = 2;                            // rounds over all servers
  bool tcp_only = false;                    // ARES_FLAG_USEVC: every query over TCP
  // Keep sockets open between queries (ARES_FLAG_STAYOPEN): for a forwarder's steady traffic.
  bool keep_sockets_open = false;
  // Hand SERVFAIL, REFUSED and NOTIMP replies over as replies (ARES_FLAG_NOCHECKRESP) instead of
  // trying the next server and failing with ARES_ESERVFAIL / ARES_EREFUSED.
  bool relay_error_replies = false;
};

class AresChannel {
 public:
  // `status` is ARES_SUCCESS with the server's reply, or a c-ares error code (ares_strerror
  // names it: a timeout, a refused connection, or ESERVFAIL / EREFUSED when every server
  // answered so). The reply span is valid during the call only.
  using Completion = std::function<void(int status, std::span<const uint8_t> reply)>;

  static Result<std::unique_ptr<AresChannel>> open(boost::asio::io_context& io,
                                                   const AresChannelOptions& options);
  // Pending completions are dropped, never called. Not from inside a completion: c-ares forbids
  // destroying a channel from its own callbacks.
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  // Sends a whole query packet as it is (c-ares gives it its own ID, and retries over TCP when
  // the UDP reply is truncated). `done` runs once: later on the io_context, or at once when the
  // query cannot be sent at all.
  void send(std::span<const uint8_t> query, Completion done);

 private:
  struct State;
  explicit AresChannel(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
};

}  // namespace kinda::dns
