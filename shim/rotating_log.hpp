// A container's log file, rotated by size like the kubelet's container log manager: when a write
// would pass max_bytes, <path> becomes <path>.1 (older ones shift up, the oldest beyond max_files
// is removed) and writing goes on in a fresh <path>. Readers of <path> always see the newest lines.
#pragma once

#include <cstdint>
#include <string>

namespace kinda::shim {

class RotatingLog {
 public:
  // max_files counts the live file too, as containerLogMaxFiles does.
  RotatingLog(std::string path, int64_t max_bytes, int max_files);
  ~RotatingLog();
  RotatingLog(const RotatingLog&) = delete;
  RotatingLog& operator=(const RotatingLog&) = delete;

  // Appends, rotating first whenever the file would pass max_bytes (large writes are split at a
  // line end where possible); on a full disk bytes are dropped rather than blocking the container.
  void write(const char* data, size_t size);
  const std::string& path() const { return path_; }

 private:
  void open();
  void rotate();
  void append(const char* data, size_t size);

  std::string path_;
  int64_t max_bytes_;
  int max_files_;
  int fd_ = -1;
  int64_t size_ = 0;
};

}  // namespace kinda::shim
