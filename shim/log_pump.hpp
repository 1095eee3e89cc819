// Copies a container's stdout+stderr pipe into its rotating log file as output arrives, so a
// container never blocks on a full pipe while the daemon is away and logs survive a daemon crash.
#pragma once

#include <utility>  // Boost 1.74's asio needs it before awaitable.hpp

#include <array>
#include <memory>
#include <string>

#include <boost/asio.hpp>

#include "runtime/syscall.hpp"
#include "shim/rotating_log.hpp"

namespace kinda::shim {

class LogPump : public std::enable_shared_from_this<LogPump> {
 public:
  static std::shared_ptr<LogPump> start(boost::asio::io_context& io, runtime::UniqueFd pipe,
                                        const std::string& path, int64_t max_bytes, int max_files);
  // Copies whatever is already in the pipe without waiting, then stops.
  void drain_and_close();

 private:
  LogPump(boost::asio::io_context& io, int fd, const std::string& path, int64_t max_bytes,
          int max_files);
  void read_next();

  boost::asio::posix::stream_descriptor pipe_;
  RotatingLog log_;
  std::array<char, 16384> buffer_{};
};

}  // namespace kinda::shim
