// The bytes of one direction of a relayed TCP connection that have been read from one socket and
// not yet written to the other. Two ways to hold them: a plain buffer for recv/send (the default),
// or a pipe that splice(2) moves socket pages through without copying them to user space.
// Measured on loopback (6 GiB streams, a 2-core machine, interleaved runs) splice was no faster:
// 6.1-6.6 Gbit/s against 6.5-7.2 for copying, direct pod-to-pod 9-16, and it took slightly more
// CPU per byte and three times the descriptors (two pipes per connection). It stays selectable
// (KINDA_PROXY_RELAY=splice) for machines where it wins.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace kinda::proxy {

enum class RelayMode { Splice, Copy };

class RelayChannel {
 public:
  virtual ~RelayChannel() = default;
  // Reads from `fd` into the channel: bytes read, 0 at end of stream, -1 with errno (EAGAIN when
  // nothing is there yet). Called only when pending() is 0.
  virtual ssize_t fill(int fd) = 0;
  // Writes pending bytes to `fd`: bytes written, or -1 with errno (EAGAIN when `fd` is full).
  virtual ssize_t drain(int fd) = 0;
  virtual size_t pending() const = 0;
};

// A splice channel when `mode` asks for one and a pipe can be made, else a copy channel;
// `bytes` is how much one fill may take at most (the pipe's size, or the buffer's largest).
std::unique_ptr<RelayChannel> make_relay_channel(RelayMode mode, size_t bytes);

// KINDA_PROXY_RELAY=splice chooses splice; anything else, or nothing, copy.
RelayMode relay_mode_from_env();

}  // namespace kinda::proxy
