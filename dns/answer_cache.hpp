// Encoded answers remembered by question: a repeated query costs one hash lookup and a copy
// instead of a parse, a zone lookup and an encoding. A response is a function of the query's
// bytes after its ID, the transport's size limit and the zone's contents, so that is the key;
// the zone clears the cache whenever its contents change, so an answer is never stale.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kinda::dns {

class AnswerCache {
 public:
  // Bounded: once `capacity` answers are kept, the next one starts the cache afresh (a zone
  // change does the same), which keeps memory flat whatever names clients invent.
  explicit AnswerCache(size_t capacity = 8192) : capacity_(capacity) {}

  // Fills `response` with the remembered answer, carrying this query's ID, and returns true.
  bool find(std::span<const uint8_t> query, size_t max_size, std::vector<uint8_t>& response) const;
  void remember(std::span<const uint8_t> query, size_t max_size,
                const std::vector<uint8_t>& response);
  void clear() { answers_.clear(); }
  size_t size() const { return answers_.size(); }

 private:
  // Transparent hashing lets find() look up a key built on the stack, without allocating.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  // Longer queries are rare (a question is at most 255 octets of name) and are not cached.
  static constexpr size_t kMaxKey = 2 + 512;
  using KeyBuffer = std::array<char, kMaxKey>;
  static std::string_view key_of(std::span<const uint8_t> query, size_t max_size, KeyBuffer& buf);

  size_t capacity_;
  std::unordered_map<std::string, std::vector<uint8_t>, KeyHash, std::equal_to<>> answers_;
};

}  // namespace kinda::dns
