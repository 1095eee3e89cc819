// Reads DNS packets. Every access is bounds-checked against the packet (and, inside RDATA, against
// the record's length); compression pointers must point strictly below every position already
// visited, so loops cannot happen. The first failure sticks and later reads return zero values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "api/error.hpp"
#include "dns/wire.hpp"

namespace kinda::dns {

// A record as read from the wire, RDATA in presentation form ("10.0.0.1", "0 100 53 ns.",
// "\"1.1.0\"", or RFC 3597 "\# 2 abcd" for types without a decoder, OPT included).
struct ParsedRecord {
  Name name;
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  std::string rdata;

  // "name. ttl IN TYPE rdata", as dig prints it.
  std::string to_string() const;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<ParsedRecord> answers, authority, additional;
};

class WireReader {
 public:
  explicit WireReader(std::span<const uint8_t> packet);

  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  Name name();
  Header header();
  Question question();
  ParsedRecord record();

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool at_end() const { return pos_ == end_; }

 private:
  bool need(size_t count);
  void fail(const std::string& why);
  Name failed_name(const std::string& why);
  std::string rdata(uint16_t type, size_t length);
  std::string character_string();

  std::span<const uint8_t> packet_;
  size_t pos_ = 0;
  size_t end_;  // the packet's end, or the current RDATA's end while decoding it
  std::string error_;
};

// Parses a whole message; trailing bytes after the last counted record are an error.
Result<Message> parse_message(std::span<const uint8_t> packet);

}  // namespace kinda::dns
