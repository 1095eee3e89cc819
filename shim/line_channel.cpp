#include "shim/line_channel.hpp"

#include <istream>

namespace kinda::shim {

namespace asio = boost::asio;

std::shared_ptr<LineChannel> LineChannel::create(Socket socket) {
  return std::shared_ptr<LineChannel>(new LineChannel(std::move(socket)));
}

void LineChannel::start(OnMessage on_message, OnClose on_close) {
  on_message_ = std::move(on_message);
  on_close_ = std::move(on_close);
  read_next();
}

void LineChannel::read_next() {
  asio::async_read_until(socket_, input_, '\n',
                         [self = shared_from_this()](boost::system::error_code ec, size_t) {
                           if (self->closed_) return;
                           if (ec) return self->fail();
                           std::istream in(&self->input_);
                           std::string line;
                           std::getline(in, line);
                           auto message = nlohmann::json::parse(line, nullptr, false);
                           if (message.is_discarded() || !message.is_object()) return self->fail();
                           self->on_message_(message);
                           if (!self->closed_) self->read_next();
                         });
}

void LineChannel::send(const nlohmann::json& message) {
  if (closed_) return;
  output_.push_back(message.dump() + "\n");
  if (output_.size() == 1) write_next();
}

void LineChannel::write_next() {
  asio::async_write(socket_, asio::buffer(output_.front()),
                    [self = shared_from_this()](boost::system::error_code ec, size_t) {
                      if (self->closed_) return;
                      if (ec) return self->fail();
                      self->output_.pop_front();
                      if (!self->output_.empty()) self->write_next();
                    });
}

void LineChannel::fail() {
  if (closed_) return;
  auto on_close = std::move(on_close_);
  close();
  if (on_close) on_close();
}

void LineChannel::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  on_message_ = nullptr;
  on_close_ = nullptr;
}

}  // namespace kinda::shim
