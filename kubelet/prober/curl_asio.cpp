#include "kubelet/prober/curl_asio.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio.hpp>

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// One socket curl asked us to watch. curl opened it and will close it, so the descriptor is only
// ever release()d, never closed. Handlers hold it by shared_ptr: a wait may complete after curl
// dropped the socket, and the same number may by then belong to a new socket.
struct Watch {
  Watch(asio::io_context& io, curl_socket_t fd) : descriptor(io), fd(fd) {}

  asio::posix::stream_descriptor descriptor;
  curl_socket_t fd;
  int wanted = CURL_POLL_NONE;  // CURL_POLL_IN / CURL_POLL_OUT bits, as curl last asked
  bool waiting_in = false;
  bool waiting_out = false;
  bool released = false;
};

// The io_context's multi handle, as an asio service: created on first use, and torn down (every
// transfer detached, every socket released) when the io_context shuts down.
class CurlMulti : public asio::execution_context::service {
 public:
  static asio::execution_context::id id;

  explicit CurlMulti(asio::io_context& io) : service(io), io_(io), timer_(std::in_place, io) {
    static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    (void)initialised;
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }

  void add(CURL* easy, std::function<void(CURLcode)> done) {
    if (!multi_ || curl_multi_add_handle(multi_, easy) != CURLM_OK) {
      asio::post(io_, [done = std::move(done)] { done(CURLE_FAILED_INIT); });
      return;
    }
    transfers_.emplace(easy, std::move(done));
  }

 private:
  void shutdown() override {
    if (!multi_) return;
    for (auto& transfer : transfers_) curl_multi_remove_handle(multi_, transfer.first);
    // Only now, with every handle detached, may the callbacks (and the handles they own) go.
    transfers_.clear();
    curl_multi_cleanup(std::exchange(multi_, nullptr));
    for (auto& entry : watches_) release(*entry.second);
    watches_.clear();
    timer_.reset();
  }

  static int on_socket(CURL*, curl_socket_t fd, int what, void* self, void* known) {
    static_cast<CurlMulti*>(self)->watch(fd, what, known != nullptr);
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* self) {
    static_cast<CurlMulti*>(self)->schedule(timeout_ms);
    return 0;
  }

  void watch(curl_socket_t fd, int what, bool known) {
    // A socket curl has not seen before may reuse the number of one it closed without saying so.
    if (what == CURL_POLL_REMOVE || !known) forget(fd);
    if (what == CURL_POLL_REMOVE) return;
    auto& watch = watches_[fd];
    if (!watch) {
      watch = std::make_shared<Watch>(io_, fd);
      error_code ec;
      // On failure curl never hears from this socket again and the transfer ends at its timeout.
      watch->descriptor.assign(fd, ec);
      curl_multi_assign(multi_, fd, watch.get());
    }
    watch->wanted = what;
    if (what & CURL_POLL_IN) arm(watch, CURL_POLL_IN);
    if (what & CURL_POLL_OUT) arm(watch, CURL_POLL_OUT);
  }

  void forget(curl_socket_t fd) {
    auto it = watches_.find(fd);
    if (it == watches_.end()) return;
    release(*it->second);
    watches_.erase(it);
  }

  static void release(Watch& watch) {
    watch.released = true;
    watch.descriptor.release();  // cancels pending waits; curl keeps the fd
  }

  void arm(const std::shared_ptr<Watch>& watch, int direction) {
    bool& waiting = direction == CURL_POLL_IN ? watch->waiting_in : watch->waiting_out;
    if (waiting || !watch->descriptor.is_open()) return;
    waiting = true;
    watch->descriptor.async_wait(
        direction == CURL_POLL_IN ? asio::posix::descriptor::wait_read
                                  : asio::posix::descriptor::wait_write,
        [this, watch, direction](error_code ec) { on_ready(watch, direction, ec); });
  }

  void on_ready(const std::shared_ptr<Watch>& watch, int direction, error_code ec) {
    (direction == CURL_POLL_IN ? watch->waiting_in : watch->waiting_out) = false;
    if (ec == asio::error::operation_aborted || watch->released) return;
    // curl may have lost interest in this direction while the wait was pending.
    if (!(watch->wanted & direction)) return;
    if (ec) {
      // No re-arm: a broken descriptor would wake us at once, forever. curl fails the transfer,
      // or at worst its timeout ends it.
      act(watch->fd, CURL_CSELECT_ERR);
      return;
    }
    act(watch->fd, direction == CURL_POLL_IN ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
    if (!watch->released && (watch->wanted & direction)) arm(watch, direction);
  }

  // curl's single timer: -1 cancels it, 0 asks for a call as soon as possible (but not from
  // inside this callback, hence through the timer too).
  void schedule(long timeout_ms) {
    if (!timer_) return;
    if (timeout_ms < 0) {
      timer_->cancel();
      return;
    }
    timer_->expires_after(std::chrono::milliseconds(timeout_ms));
    timer_->async_wait([this](error_code ec) {
      if (!ec) act(CURL_SOCKET_TIMEOUT, 0);
    });
  }

  void act(curl_socket_t fd, int event) {
    int running = 0;
    curl_multi_socket_action(multi_, fd, event, &running);
    finish_completed();
  }

  // Collects every finished transfer first and only then runs the callbacks, which may start new
  // transfers on this same multi handle.
  void finish_completed() {
    std::vector<std::pair<std::function<void(CURLcode)>, CURLcode>> finished;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode result = message->data.result;
      curl_multi_remove_handle(multi_, easy);
      auto node = transfers_.extract(easy);
      if (node) finished.emplace_back(std::move(node.mapped()), result);
    }
    for (auto& [done, result] : finished) done(result);
  }

  asio::io_context& io_;
  CURLM* multi_ = nullptr;
  std::optional<asio::steady_timer> timer_;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> watches_;
  std::unordered_map<CURL*, std::function<void(CURLcode)>> transfers_;
};

asio::execution_context::id CurlMulti::id;

}  // namespace

void curl_perform_async(asio::io_context& io, CURL* easy, std::function<void(CURLcode)> done) {
  asio::use_service<CurlMulti>(io).add(easy, std::move(done));
}

}  // namespace kinda::kubelet
