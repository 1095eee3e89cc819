#include "shim/log_pump.hpp"

#include <unistd.h>

namespace kinda::shim {

LogPump::LogPump(boost::asio::io_context& io, int fd, const std::string& path, int64_t max_bytes,
                 int max_files)
    : pipe_(io, fd), log_(path, max_bytes, max_files) {}

std::shared_ptr<LogPump> LogPump::start(boost::asio::io_context& io, runtime::UniqueFd pipe,
                                        const std::string& path, int64_t max_bytes, int max_files) {
  auto pump = std::shared_ptr<LogPump>(new LogPump(io, pipe.release(), path, max_bytes, max_files));
  pump->read_next();
  return pump;
}

void LogPump::read_next() {
  pipe_.async_read_some(boost::asio::buffer(buffer_),
                        [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                          if (n > 0) self->log_.write(self->buffer_.data(), n);
                          if (!ec) self->read_next();
                        });
}

void LogPump::drain_and_close() {
  if (!pipe_.is_open()) return;
  boost::system::error_code ec;
  pipe_.non_blocking(true, ec);
  while (true) {
    ssize_t n = ::read(pipe_.native_handle(), buffer_.data(), buffer_.size());
    if (n <= 0) break;
    log_.write(buffer_.data(), static_cast<size_t>(n));
  }
  pipe_.close(ec);
}

}  // namespace kinda::shim
