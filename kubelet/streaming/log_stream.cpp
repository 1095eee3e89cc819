#include "kubelet/streaming/log_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <utility>

#include <boost/asio.hpp>

namespace kinda::kubelet {
namespace {

constexpr auto kFollowInterval = std::chrono::milliseconds(200);

std::string read_whole(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ino_t inode_of(const std::filesystem::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? st.st_ino : 0;
}

// Follows the file on a short timer while a client does; a follow stream is an active request, so
// this does not make an idle daemon busy. It reads through a descriptor it keeps open: the file's
// last bytes stay readable after the shim rotates it away (renamed to <file>.1) or the pod's
// deletion removes it, and a rotated file is finished before the new one is started.
struct Follower : std::enable_shared_from_this<Follower> {
  Follower(boost::asio::io_context& io, std::filesystem::path f,
           std::shared_ptr<apiserver::Stream> s, std::function<bool()> live)
      : timer(io), file(std::move(f)), stream(std::move(s)), still_writing(std::move(live)) {}
  ~Follower() {
    if (fd >= 0) ::close(fd);
  }

  void open_file() { fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC); }
  ino_t held_inode() const {
    struct stat st {};
    return fd >= 0 && ::fstat(fd, &st) == 0 ? st.st_ino : 0;
  }

  void schedule() {
    timer.expires_after(kFollowInterval);
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->tick();
    });
  }

  std::string drain() {
    std::string text;
    char buffer[65536];
    ssize_t n;
    while (fd >= 0 && (n = ::read(fd, buffer, sizeof buffer)) > 0)
      text.append(buffer, static_cast<size_t>(n));
    return text;
  }

  void tick() {
    if (stream->closed()) return;
    // Asked before reading: what the writer put out before it stopped is in the file by now.
    bool live = still_writing();
    std::string text = drain();
    // Rotated (or not there when the follow began): start on the file now at the path.
    if (auto now = inode_of(file); now != 0 && now != held_inode()) {
      if (fd >= 0) ::close(fd);
      open_file();
      text += drain();
    }
    if (!text.empty()) stream->write(std::move(text));
    if (!live) {
      // One more look after the writer stopped: a shim may flush its pipe just after it reports
      // the exit.
      if (last_look) return stream->finish();
      last_look = true;
    }
    schedule();
  }

  boost::asio::steady_timer timer;
  std::filesystem::path file;
  int fd = -1;
  bool last_look = false;
  std::shared_ptr<apiserver::Stream> stream;
  std::function<bool()> still_writing;
};

}  // namespace

std::string last_lines(const std::string& text, long long lines) {
  if (lines < 0) return text;
  if (lines == 0) return "";
  size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  while (pos > 0) {
    auto nl = text.rfind('\n', pos - 1);
    if (nl == std::string::npos) return text;
    if (--lines == 0) return text.substr(nl + 1);
    pos = nl;
  }
  return text;
}

apiserver::Reply log_reply(boost::asio::io_context& io, const std::filesystem::path& file,
                           long long tail_lines, bool follow, std::function<bool()> still_writing) {
  // The live file is opened first: a rotation from now on leaves it readable through this
  // descriptor (and its new name, <file>.1, is not read twice).
  auto reader = std::make_shared<Follower>(io, file, nullptr, std::move(still_writing));
  reader->open_file();
  // Everything the shim kept: rotated files oldest first (<file>.N … <file>.1), then the live one.
  std::string text;
  for (int i = 64; i >= 1; --i) {
    std::filesystem::path rotated = file.string() + "." + std::to_string(i);
    if (auto inode = inode_of(rotated); inode != 0 && inode != reader->held_inode())
      text += read_whole(rotated);
  }
  text = last_lines(text + reader->drain(), tail_lines);
  if (!follow)
    return apiserver::Reply{apiserver::Response{200, "text/plain", std::move(text)}, nullptr};
  apiserver::Reply reply;
  reply.stream_content_type = "text/plain";
  reply.stream = [reader, text](std::shared_ptr<apiserver::Stream> stream) {
    if (!text.empty()) stream->write(text);
    reader->stream = std::move(stream);
    reader->schedule();
  };
  return reply;
}

}  // namespace kinda::kubelet
