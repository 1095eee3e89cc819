// A coalescing work queue on the daemon's event loop: adding a key that is already pending does
// nothing, so a burst of watch events becomes one reconcile pass per object (level-triggered).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace boost::asio {
class io_context;
}

namespace kinda::client {

class WorkQueue {
 public:
  WorkQueue(boost::asio::io_context& io, std::function<void(const std::string& key)> work);
  ~WorkQueue();
  void add(const std::string& key);
  // Runs the key after `delay` (e.g. minReadySeconds, backoff) unless it runs earlier anyway.
  void add_after(const std::string& key, std::chrono::milliseconds delay);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kinda::client
