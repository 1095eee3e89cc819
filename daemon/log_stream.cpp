#include "daemon/log_stream.hpp"

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
    auto text = read_from(file, offset);
    if (!text.empty()) stream->write(std::move(text));
    if (!live) return stream->finish();
    schedule();
  }

  boost::asio::steady_timer timer;
  std::filesystem::path file;
  std::streamoff offset;
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
  auto text = last_lines(read_from(file, offset), tail_lines);
  if (!follow) return Reply{Response{200, "text/plain", std::move(text)}, nullptr};
  Reply reply;
  reply.stream_content_type = "text/plain";
  reply.stream = [&io, file, offset, text, still_writing](std::shared_ptr<Stream> stream) {
    if (!text.empty()) stream->write(text);
    auto follower = std::make_shared<Follower>(io, file, offset, stream, still_writing);
    follower->schedule();
  };
  return reply;
}

}  // namespace kinda::daemon
