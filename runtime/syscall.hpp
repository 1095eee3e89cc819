// RAII ownership of file descriptors and errno-to-Error conversion for the runtime's system calls.
// A UniqueFd closes its descriptor exactly once; helpers return kinda::Result instead of setting
// errno.
#pragma once

#include <string>
#include <utility>

#include "api/error.hpp"

namespace kinda::runtime {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// pipe2(flags); O_CLOEXEC is always added so no descriptor leaks into unrelated children.
Result<Pipe> make_pipe(int flags = 0);

// open(2) with O_CLOEXEC added.
Result<UniqueFd> open_fd(const std::string& path, int flags, int mode = 0644);

// "<what>: <strerror(err)>" as an internal error.
Error errno_error(const std::string& what, int err);

}  // namespace kinda::runtime
