// The bytes of one direction of a relayed TCP connection that have been read from one socket and
// not yet written to the other. Two ways to hold them: a pipe that splice(2) moves socket pages
// through without copying them to user space (the default, and on loopback the faster: the
// proxy's two copies of every byte disappear), or a plain buffer for read/write (the fallback
// when no pipe can be made, and a baseline for benchmarks).
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
// `bytes` is how much one fill may take (the pipe's or the buffer's size).
std::unique_ptr<RelayChannel> make_relay_channel(RelayMode mode, size_t bytes);

}  // namespace kinda::proxy
