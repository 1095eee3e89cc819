// pods/{name}/exec as kubectl (1.30 and later) and client libraries run it: a WebSocket upgrade
// with subprotocol v5.channel.k8s.io (v4.channel.k8s.io too). Every binary message starts with
// its channel: 0 stdin, 1 stdout, 2 stderr, 3 the outcome (a Status), 4 terminal resizes; v5 adds
// 255 + channel, the client closing its stdin. The command runs in the container's namespaces and
// environment (as exec probes do), its process group killed if the client goes first.
// SPDY, the older upgrade kubectl falls back to, is not spoken: such requests get a 400 Status
// saying so.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/error.hpp"
#include "apiserver/transport/http_types.hpp"
#include "runtime/process.hpp"

namespace boost::asio {
class io_context;
}

namespace kinda::kubelet {

struct ExecOptions {
  std::string container;
  std::vector<std::string> command;
  bool stdin = false, stdout = true, stderr = true, tty = false;
};

// The query's options (command=… repeated, container, stdin, stdout, stderr, tty), as the API
// server checks them.
Result<ExecOptions> exec_options_of(const apiserver::Request& request);

// A resize message's body (channel 4): {"Width": W, "Height": H}, both 0 to 65535; nullopt for
// anything else, which the session ignores.
struct TerminalSize {
  unsigned short width = 0, height = 0;
};
std::optional<TerminalSize> terminal_size_of(std::string_view message);

// The subprotocol to accept, or the 400 Status for a request kinda cannot upgrade (no WebSocket,
// or none of the offered subprotocols).
Result<std::string> exec_protocol_of(const apiserver::Request& request);

// Accepts the upgrade and runs `spec` (argv, environment, namespaces, working directory set by the
// caller) for the client on the channel; `started` learns the process (and group) id.
apiserver::Reply exec_reply(boost::asio::io_context& io, runtime::ProcessSpec spec,
                            const ExecOptions& options, const std::string& protocol,
                            std::function<void(pid_t)> started);

}  // namespace kinda::kubelet
