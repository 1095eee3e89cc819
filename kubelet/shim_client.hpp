// The daemon's end of a pod shim's conversation (see shim/shim_protocol.hpp): starting a shim,
// reconnecting to one a previous daemon left running, and request/reply over its socket.
#pragma once

#include <utility>  // Boost 1.74's asio needs it before awaitable.hpp

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <sys/types.h>

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "shim/line_channel.hpp"
#include "shim/shim_spec.hpp"

namespace kinda::kubelet {

class ShimClient {
 public:
  using OnReply = std::function<void(const nlohmann::json& reply)>;  // {"ok", "error"?, ...}
  using OnEvent = std::function<void(const nlohmann::json& event)>;
  using OnClose = std::function<void()>;

  // Writes the spec and starts `<self_exe> shim <pod dir>/shim.json` as our child. Its first
  // event ("ready" or "failed") arrives through on_event.
  static Result<std::unique_ptr<ShimClient>> launch(boost::asio::io_context& io,
                                                    const shim::ShimSpec& spec, OnEvent on_event,
                                                    OnClose on_close, pid_t* shim_pid);

  // Connects to a running shim and asks its state before returning (bounded by a short timeout),
  // so a restarting daemon knows what it adopts before it follows the store.
  static Result<std::unique_ptr<ShimClient>> reconnect(boost::asio::io_context& io,
                                                       const std::string& socket_path,
                                                       nlohmann::json* state);

  ~ShimClient();
  ShimClient(const ShimClient&) = delete;
  ShimClient& operator=(const ShimClient&) = delete;

  // Callbacks are set once, after reconnect; launch sets them at once.
  void listen(OnEvent on_event, OnClose on_close);
  // A reply never comes when the connection drops; on_close tells the owner instead.
  void request(nlohmann::json message, OnReply on_reply = nullptr);
  bool connected() const { return channel_ && channel_->open(); }

 private:
  explicit ShimClient(std::shared_ptr<shim::LineChannel> channel) : channel_(std::move(channel)) {}

  std::shared_ptr<shim::LineChannel> channel_;
  std::map<int64_t, OnReply> pending_;
  int64_t next_id_ = 1;
};

}  // namespace kinda::kubelet
