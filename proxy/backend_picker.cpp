#include "proxy/backend_picker.hpp"

#include <algorithm>

namespace kinda::proxy {

void BackendPicker::set_backends(std::vector<Backend> backends) {
  backends_ = std::move(backends);
  std::erase_if(affinities_,
                [this](const auto& entry) { return !has_backend(entry.second.backend); });
  if (next_ >= backends_.size()) next_ = 0;
}

void BackendPicker::set_affinity_timeout(std::chrono::milliseconds timeout) {
  affinity_timeout_ = timeout;
  if (timeout.count() <= 0) affinities_.clear();
}

bool BackendPicker::has_backend(const Backend& backend) const {
  return std::find(backends_.begin(), backends_.end(), backend) != backends_.end();
}

std::optional<Backend> BackendPicker::next_round_robin(const std::vector<Backend>& exclude) {
  for (size_t tried = 0; tried < backends_.size(); ++tried) {
    const Backend& candidate = backends_[next_];
    next_ = (next_ + 1) % backends_.size();
    if (std::find(exclude.begin(), exclude.end(), candidate) == exclude.end()) return candidate;
  }
  return std::nullopt;
}

// Drops idle affinities now and then, so clients that never come back do not pile up.
void BackendPicker::expire(Clock::time_point now) {
  if (now < next_expiry_sweep_) return;
  next_expiry_sweep_ = now + affinity_timeout_;
  std::erase_if(affinities_, [&](const auto& entry) {
    return now - entry.second.last_used > affinity_timeout_;
  });
}

std::optional<Backend> BackendPicker::pick(const std::string& client_ip, Clock::time_point now,
                                           const std::vector<Backend>& exclude) {
  if (backends_.empty()) return std::nullopt;
  if (affinity_timeout_.count() <= 0) return next_round_robin(exclude);
  expire(now);
  auto it = affinities_.find(client_ip);
  if (it != affinities_.end() && now - it->second.last_used <= affinity_timeout_ &&
      std::find(exclude.begin(), exclude.end(), it->second.backend) == exclude.end()) {
    it->second.last_used = now;
    return it->second.backend;
  }
  auto chosen = next_round_robin(exclude);
  if (chosen)
    affinities_[client_ip] = {*chosen, now};
  else
    affinities_.erase(client_ip);
  return chosen;
}

}  // namespace kinda::proxy
