#include "daemon/log_stream.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <utility>

#include <boost/asio.hpp>

namespace kinda::daemon {
namespace {

constexpr auto kFollowInterval = std::chrono::milliseconds(200);

std::string read_from(const std::filesystem::path& file, std::streamoff& offset) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  in.seekg(offset);
  std::ostringstream out;
  out << in.rdbuf();
  auto text = out.str();
  offset += static_cast<std::streamoff>(text.size());
  return text;
}

ino_t inode_of(const std::filesystem::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 ? st.st_ino : 0;
}

// Everything the shim kept: rotated files oldest first (<file>.N … <file>.1), then the live one.
std::string read_retained(const std::filesystem::path& file, std::streamoff& offset) {
  std::string text;
  for (int i = 64; i >= 1; --i) {
    std::filesystem::path rotated = file.string() + "." + std::to_string(i);
    std::streamoff ignored = 0;
    if (std::filesystem::exists(rotated)) text += read_from(rotated, ignored);
  }
  return text + read_from(file, offset);
}

// Re-reads the file on a short timer while a client follows it; a follow stream is an active
// request, so this does not make an idle daemon busy.
struct Follower : std::enable_shared_from_this<Follower> {
  Follower(boost::asio::io_context& io, std::filesystem::path f, std::streamoff start,
           std::shared_ptr<Stream> s, std::function<bool()> live)
      : timer(io),
        file(std::move(f)),
        offset(start),
        stream(std::move(s)),
        still_writing(std::move(live)) {}

  void schedule() {
    timer.expires_after(kFollowInterval);
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->tick();
    });
  }

  void tick() {
    if (stream->closed()) return;
    bool live = still_writing();
    std::string text;
    // Rotated since the last look: finish the old file (now <file>.1), then start the new one.
    if (auto now = inode_of(file); now != 0 && inode != 0 && now != inode) {
      std::filesystem::path previous = file.string() + ".1";
      if (inode_of(previous) == inode) text = read_from(previous, offset);
      offset = 0;
    }
    inode = inode_of(file);
    text += read_from(file, offset);
    if (!text.empty()) stream->write(std::move(text));
    if (!live) return stream->finish();
    schedule();
  }

  boost::asio::steady_timer timer;
  std::filesystem::path file;
  std::streamoff offset;
  ino_t inode = 0;
  std::shared_ptr<Stream> stream;
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

Reply log_reply(boost::asio::io_context& io, const std::filesystem::path& file,
                long long tail_lines, bool follow, std::function<bool()> still_writing) {
  std::streamoff offset = 0;
  ino_t inode = inode_of(file);
  auto text = last_lines(read_retained(file, offset), tail_lines);
  if (!follow) return Reply{Response{200, "text/plain", std::move(text)}, nullptr};
  Reply reply;
  reply.stream_content_type = "text/plain";
  reply.stream = [&io, file, offset, inode, text, still_writing](std::shared_ptr<Stream> stream) {
    if (!text.empty()) stream->write(text);
    auto follower = std::make_shared<Follower>(io, file, offset, stream, still_writing);
    follower->inode = inode;
    follower->schedule();
  };
  return reply;
}

}  // namespace kinda::daemon
