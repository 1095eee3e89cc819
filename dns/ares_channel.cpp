#include "dns/ares_channel.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <ares.h>
#include <arpa/inet.h>

#include <spdlog/spdlog.h>

#include <unordered_map>

namespace kinda::dns {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

struct AresLibrary {
  AresLibrary() : ok(ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS) {}
  ~AresLibrary() {
    if (ok) ares_library_cleanup();
  }
  bool ok;
};

// One socket c-ares uses. The descriptor only borrows the fd (c-ares opens and closes it), so it
// is released, never closed; releasing also cancels the waits on it.
struct SocketWatch {
  explicit SocketWatch(asio::io_context& io) : descriptor(io) {}
  ~SocketWatch() { forget(); }
  void forget() {
    if (descriptor.is_open()) descriptor.release();
  }

  asio::posix::stream_descriptor descriptor;
  bool want_read = false, want_write = false;        // what c-ares last asked for
  bool read_pending = false, write_pending = false;  // an async_wait is outstanding
};

struct PendingSend {
  AresChannel::Completion done;
};

}  // namespace

bool ares_library_ready() {
  static AresLibrary library;
  return library.ok;
}

struct AresChannel::State : std::enable_shared_from_this<State> {
  explicit State(asio::io_context& io_context) : io(io_context), timer(io_context) {}
  ~State() { close(); }

  // Waits handed to Asio hold a weak_ptr, so a wake-up after the channel is gone does nothing.
  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    static_cast<State*>(data)->watch(fd, readable != 0, writable != 0);
  }

  static void on_reply(void* arg, int status, int /*timeouts*/, unsigned char* reply, int size) {
    const std::unique_ptr<PendingSend> pending(static_cast<PendingSend*>(arg));
    if (status == ARES_EDESTRUCTION) return;  // the channel is being destroyed: drop silently
    pending->done(status, status == ARES_SUCCESS && reply
                              ? std::span<const uint8_t>(reply, static_cast<size_t>(size))
                              : std::span<const uint8_t>());
  }

  void watch(ares_socket_t fd, bool readable, bool writable) {
    auto it = sockets.find(fd);
    if (!readable && !writable) {  // c-ares is about to close the socket
      if (it != sockets.end()) {
        it->second->forget();
        sockets.erase(it);
      }
      return;
    }
    if (it == sockets.end()) {
      auto socket = std::make_shared<SocketWatch>(io);
      error_code ec;
      socket->descriptor.assign(fd, ec);
      if (ec) {
        // The query on it will time out and c-ares moves on; nothing better to do here.
        spdlog::warn("DNS upstream socket cannot be watched: {}", ec.message());
        return;
      }
      it = sockets.emplace(fd, std::move(socket)).first;
    }
    const std::shared_ptr<SocketWatch> socket = it->second;
    socket->want_read = readable;
    socket->want_write = writable;
    if (readable && !socket->read_pending) wait(socket, false);
    if (writable && !socket->write_pending) wait(socket, true);
  }

  void wait(const std::shared_ptr<SocketWatch>& socket, bool for_write) {
    (for_write ? socket->write_pending : socket->read_pending) = true;
    socket->descriptor.async_wait(
        for_write ? asio::posix::descriptor_base::wait_write
                  : asio::posix::descriptor_base::wait_read,
        [weak = weak_from_this(), socket, for_write](const error_code& ec) {
          (for_write ? socket->write_pending : socket->read_pending) = false;
          const std::shared_ptr<State> self = weak.lock();
          if (self && ec != asio::error::operation_aborted) self->on_ready(socket, for_write, ec);
        });
  }

  bool current(ares_socket_t fd, const std::shared_ptr<SocketWatch>& socket) const {
    const auto it = sockets.find(fd);
    return it != sockets.end() && it->second == socket;
  }

  void on_ready(const std::shared_ptr<SocketWatch>& socket, bool for_write, const error_code& ec) {
    const ares_socket_t fd = socket->descriptor.native_handle();
    // A socket c-ares closed meanwhile (its number maybe reused already) is none of our business.
    if (!channel || !current(fd, socket)) return;
    bool& wanted = for_write ? socket->want_write : socket->want_read;
    if (wanted) {
      if (for_write)
        ares_process_fd(channel, ARES_SOCKET_BAD, fd);
      else
        ares_process_fd(channel, fd, ARES_SOCKET_BAD);
    }
    // c-ares may have closed the socket or changed what it waits for while processing; a failed
    // wait is not repeated (the query's timeout takes over) so an error cannot spin.
    const bool pending = for_write ? socket->write_pending : socket->read_pending;
    if (!ec && current(fd, socket) && wanted && !pending) wait(socket, for_write);
    schedule_timeout();
  }

  // Keeps one timer wait at c-ares' earliest deadline; none while no query is outstanding, so
  // a run() with nothing else to do returns.
  void schedule_timeout() {
    if (!channel) return;
    timeval tv{};
    if (!ares_timeout(channel, nullptr, &tv)) {
      timer.cancel();
      timer_pending = false;
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(tv.tv_sec) +
                          std::chrono::microseconds(tv.tv_usec);
    if (timer_pending && timer.expiry() <= deadline) return;
    timer.expires_at(deadline);
    timer_pending = true;
    timer.async_wait([weak = weak_from_this()](const error_code& ec) {
      const std::shared_ptr<State> self = weak.lock();
      if (!self || !self->channel || ec == asio::error::operation_aborted) return;
      self->timer_pending = false;
      ares_process_fd(self->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      self->schedule_timeout();
    });
  }

  void close() {
    // ares_destroy reports every socket closed and every pending query ARES_EDESTRUCTION.
    if (channel) ares_destroy(channel);
    channel = nullptr;
    for (auto& [fd, socket] : sockets) socket->forget();
    sockets.clear();
    timer.cancel();
  }

  asio::io_context& io;
  ares_channel channel = nullptr;
  asio::steady_timer timer;
  bool timer_pending = false;
  std::unordered_map<ares_socket_t, std::shared_ptr<SocketWatch>> sockets;
};

namespace {

Status use_servers(ares_channel channel, const std::vector<UpstreamServer>& servers) {
  std::vector<ares_addr_port_node> nodes(servers.size());
  for (size_t i = 0; i < servers.size(); ++i) {
    ares_addr_port_node& node = nodes[i];
    node.next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    node.udp_port = node.tcp_port = servers[i].port;
    if (inet_pton(AF_INET, servers[i].address.c_str(), &node.addr.addr4) == 1)
      node.family = AF_INET;
    else if (inet_pton(AF_INET6, servers[i].address.c_str(), &node.addr.addr6) == 1)
      node.family = AF_INET6;
    else
      return Error::bad_request("upstream DNS server \"" + servers[i].address +
                                "\" is not an IP address");
  }
  if (const int status = ares_set_servers_ports(channel, nodes.data()); status != ARES_SUCCESS)
    return Error::internal(std::string("c-ares refused the DNS servers: ") + ares_strerror(status));
  return Ok{};
}

}  // namespace

Result<std::unique_ptr<AresChannel>> AresChannel::open(asio::io_context& io,
                                                       const AresChannelOptions& options) {
  if (!ares_library_ready()) return Error::internal("c-ares could not initialise");
  if (options.servers.empty()) return Error::bad_request("no DNS server to send queries to");
  auto state = std::make_shared<State>(io);
  ares_options init{};
  init.flags = ARES_FLAG_NOSEARCH | (options.tcp_only ? ARES_FLAG_USEVC : 0) |
               (options.keep_sockets_open ? ARES_FLAG_STAYOPEN : 0) |
               (options.relay_error_replies ? ARES_FLAG_NOCHECKRESP : 0);
  init.timeout = static_cast<int>(options.timeout.count());
  init.tries = options.tries;
  init.sock_state_cb = &State::on_socket_state;
  init.sock_state_cb_data = state.get();
  const int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
  if (const int status = ares_init_options(&state->channel, &init, mask); status != ARES_SUCCESS) {
    state->channel = nullptr;
    return Error::internal(std::string("cannot create a c-ares channel: ") + ares_strerror(status));
  }
  if (auto used = use_servers(state->channel, options.servers); !used) return used.error();
  return std::unique_ptr<AresChannel>(new AresChannel(std::move(state)));
}

AresChannel::AresChannel(std::shared_ptr<State> state) : state_(std::move(state)) {}

AresChannel::~AresChannel() {
  state_->close();
}

void AresChannel::send(std::span<const uint8_t> query, Completion done) {
  auto* pending = new PendingSend{std::move(done)};
  ares_send(state_->channel, query.data(), static_cast<int>(query.size()), &State::on_reply,
            pending);
  state_->schedule_timeout();
}

}  // namespace kinda::dns
