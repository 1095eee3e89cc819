#include "proxy/relay_channel.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace kinda::proxy {
namespace {

class SpliceChannel final : public RelayChannel {
 public:
  SpliceChannel(int read_end, int write_end, size_t capacity)
      : read_end_(read_end), write_end_(write_end), capacity_(capacity) {}
  ~SpliceChannel() override {
    ::close(read_end_);
    ::close(write_end_);
  }
  ssize_t fill(int fd) override {
    ssize_t n =
        ::splice(fd, nullptr, write_end_, nullptr, capacity_, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) pending_ += static_cast<size_t>(n);
    return n;
  }
  ssize_t drain(int fd) override {
    // Into a socket whose peer is gone this raises SIGPIPE (splice has no MSG_NOSIGNAL): the
    // process must ignore SIGPIPE, as the daemon does, and gets EPIPE instead.
    ssize_t n =
        ::splice(read_end_, nullptr, fd, nullptr, pending_, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) pending_ -= static_cast<size_t>(n);
    return n;
  }
  size_t pending() const override { return pending_; }

 private:
  int read_end_;
  int write_end_;
  size_t capacity_;
  size_t pending_ = 0;
};

// Starts small and doubles (up to `max_bytes`) each time a read fills it, so an idle or chatty
// connection holds a few KiB while a bulk transfer moves big blocks per system call.
class CopyChannel final : public RelayChannel {
 public:
  explicit CopyChannel(size_t max_bytes) : max_bytes_(std::max(max_bytes, kFirstBytes)) {}
  ssize_t fill(int fd) override {
    if (buffer_.empty() || (filled_up_ && buffer_.size() < max_bytes_))
      buffer_.resize(buffer_.empty() ? kFirstBytes : std::min(buffer_.size() * 2, max_bytes_));
    ssize_t n = ::recv(fd, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (n > 0) {
      begin_ = 0;
      end_ = static_cast<size_t>(n);
      filled_up_ = end_ == buffer_.size();
    }
    return n;
  }
  ssize_t drain(int fd) override {
    ssize_t n = ::send(fd, buffer_.data() + begin_, end_ - begin_, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) begin_ += static_cast<size_t>(n);
    return n;
  }
  size_t pending() const override { return end_ - begin_; }

 private:
  static constexpr size_t kFirstBytes = 16 * 1024;
  size_t max_bytes_;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool filled_up_ = false;
};

}  // namespace

std::unique_ptr<RelayChannel> make_relay_channel(RelayMode mode, size_t bytes) {
  if (mode == RelayMode::Splice) {
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) == 0) {
      // A pipe holds 64 KiB unless enlarged; the kernel may grant less than asked (pipe-max-size,
      // or the user's pipe quota when many connections are open), so use what it reports.
      int size = ::fcntl(ends[1], F_SETPIPE_SZ, static_cast<int>(bytes));
      if (size < 0) size = ::fcntl(ends[1], F_GETPIPE_SZ);
      return std::make_unique<SpliceChannel>(ends[0], ends[1],
                                             size > 0 ? static_cast<size_t>(size) : 65536);
    }
  }
  return std::make_unique<CopyChannel>(bytes);
}

RelayMode relay_mode_from_env() {
  const char* text = std::getenv("KINDA_PROXY_RELAY");
  return text && std::string_view(text) == "splice" ? RelayMode::Splice : RelayMode::Copy;
}

}  // namespace kinda::proxy
