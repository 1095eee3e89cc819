#include "shim/rotating_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace kinda::shim {

RotatingLog::RotatingLog(std::string path, int64_t max_bytes, int max_files)
    : path_(std::move(path)), max_bytes_(max_bytes), max_files_(max_files < 1 ? 1 : max_files) {
  open();
}

RotatingLog::~RotatingLog() {
  if (fd_ >= 0) ::close(fd_);
}

void RotatingLog::open() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  struct stat st {};
  size_ = fd_ >= 0 && ::fstat(fd_, &st) == 0 ? st.st_size : 0;
}

void RotatingLog::rotate() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (max_files_ == 1) {
    ::unlink(path_.c_str());
  } else {
    ::unlink((path_ + "." + std::to_string(max_files_ - 1)).c_str());
    for (int i = max_files_ - 2; i >= 1; --i)
      ::rename((path_ + "." + std::to_string(i)).c_str(),
               (path_ + "." + std::to_string(i + 1)).c_str());
    ::rename(path_.c_str(), (path_ + ".1").c_str());
  }
  open();
}

void RotatingLog::write(const char* data, size_t size) {
  while (size > 0) {
    if (max_bytes_ > 0 && size_ >= max_bytes_) rotate();
    size_t room = max_bytes_ > 0 ? static_cast<size_t>(max_bytes_ - size_) : size;
    if (size <= room) return append(data, size);
    // Too much for this file: end it after the last whole line that fits.
    size_t cut = 0;
    for (size_t i = room; i > 0 && cut == 0; --i)
      if (data[i - 1] == '\n') cut = i;
    if (cut == 0 && size_ > 0) {
      rotate();  // no line fits the rest of this file; start the next one
      continue;
    }
    if (cut == 0) cut = room;  // a single line longer than a whole file is split
    append(data, cut);
    data += cut;
    size -= cut;
    rotate();
  }
}

void RotatingLog::append(const char* data, size_t size) {
  if (fd_ < 0) return;
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
    size_ += n;
  }
}

}  // namespace kinda::shim
