#include "dns/answer_cache.hpp"

#include <algorithm>
#include <array>

#include "dns/wire.hpp"

namespace kinda::dns {

std::string_view AnswerCache::key_of(std::span<const uint8_t> query, size_t max_size,
                                     KeyBuffer& buf) {
  if (query.size() < kHeaderSize || query.size() > buf.size()) return {};
  // The limit only matters up to the largest EDNS size we honour; 65535 (TCP) is its own key.
  const auto limit = static_cast<uint16_t>(std::min<size_t>(max_size, 0xFFFF));
  buf[0] = static_cast<char>(limit >> 8);
  buf[1] = static_cast<char>(limit & 0xFF);
  std::copy(query.begin() + 2, query.end(), buf.begin() + 2);
  return {buf.data(), query.size()};
}

bool AnswerCache::find(std::span<const uint8_t> query, size_t max_size,
                       std::vector<uint8_t>& response) const {
  KeyBuffer buf;
  const std::string_view key = key_of(query, max_size, buf);
  if (key.empty()) return false;
  const auto found = answers_.find(key);
  if (found == answers_.end()) return false;
  response = found->second;
  response[0] = query[0];
  response[1] = query[1];
  return true;
}

void AnswerCache::remember(std::span<const uint8_t> query, size_t max_size,
                           const std::vector<uint8_t>& response) {
  if (response.size() < kHeaderSize) return;
  KeyBuffer buf;
  const std::string_view key = key_of(query, max_size, buf);
  if (key.empty()) return;
  if (answers_.size() >= capacity_) answers_.clear();
  answers_.emplace(std::string(key), response);
}

}  // namespace kinda::dns
