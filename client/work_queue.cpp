#include "client/work_queue.hpp"

#include <utility>

#include <boost/asio.hpp>

namespace kinda::client {

struct WorkQueue::Impl {
  Impl(boost::asio::io_context& io_, std::function<void(const std::string&)> work_)
      : io(io_), work(std::move(work_)) {}

  boost::asio::io_context& io;
  std::function<void(const std::string&)> work;
  std::set<std::string> pending;
  std::multimap<std::string, std::unique_ptr<boost::asio::steady_timer>> timers;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

WorkQueue::WorkQueue(boost::asio::io_context& io, std::function<void(const std::string&)> work)
    : impl_(std::make_unique<Impl>(io, std::move(work))) {}

WorkQueue::~WorkQueue() {
  *impl_->alive = false;
  for (auto& [key, timer] : impl_->timers) timer->cancel();
}

void WorkQueue::add(const std::string& key) {
  if (!impl_->pending.insert(key).second) return;
  boost::asio::post(impl_->io, [impl = impl_.get(), alive = impl_->alive, key] {
    if (!*alive) return;
    impl->pending.erase(key);
    impl->work(key);
  });
}

void WorkQueue::add_after(const std::string& key, std::chrono::milliseconds delay) {
  auto timer = std::make_unique<boost::asio::steady_timer>(impl_->io, delay);
  auto* raw = timer.get();
  impl_->timers.emplace(key, std::move(timer));
  raw->async_wait([this, raw, alive = impl_->alive, key](boost::system::error_code ec) {
    if (!*alive) return;
    auto range = impl_->timers.equal_range(key);
    for (auto it = range.first; it != range.second; ++it)
      if (it->second.get() == raw) {
        impl_->timers.erase(it);
        break;
      }
    if (!ec) add(key);
  });
}

}  // namespace kinda::client
