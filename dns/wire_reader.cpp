#include "dns/wire_reader.hpp"

#include <arpa/inet.h>

#include <cstdio>

namespace kinda::dns {

WireReader::WireReader(std::span<const uint8_t> packet) : packet_(packet), end_(packet.size()) {}

bool WireReader::need(size_t count) {
  if (!ok()) return false;
  if (end_ - pos_ < count) {
    fail("truncated at offset " + std::to_string(pos_));
    return false;
  }
  return true;
}

void WireReader::fail(const std::string& why) {
  if (ok()) error_ = why;
  pos_ = end_;
}

Name WireReader::failed_name(const std::string& why) {
  fail(why);
  return {};
}

uint8_t WireReader::u8() {
  if (!need(1)) return 0;
  return packet_[pos_++];
}

uint16_t WireReader::u16() {
  if (!need(2)) return 0;
  const uint16_t value = static_cast<uint16_t>(packet_[pos_] << 8 | packet_[pos_ + 1]);
  pos_ += 2;
  return value;
}

uint32_t WireReader::u32() {
  const uint32_t high = u16();
  return high << 16 | u16();
}

Name WireReader::name() {
  Name out;
  if (!ok()) return out;
  size_t pos = pos_;
  size_t lowest = pos_;  // every pointer must go below this, so each jump makes progress
  size_t resume = 0;     // where reading continues after the first pointer
  size_t limit = end_;   // after a jump the name may lie anywhere earlier in the packet
  size_t wire_length = 1;
  while (true) {
    if (pos >= limit) return failed_name("name runs past the end at offset " + std::to_string(pos));
    const uint8_t length = packet_[pos];
    if ((length & 0xC0) == 0xC0) {
      if (pos + 1 >= limit) return failed_name("truncated compression pointer");
      const size_t target = static_cast<size_t>(length & 0x3F) << 8 | packet_[pos + 1];
      if (target >= lowest) {
        return failed_name("compression pointer at offset " + std::to_string(pos) +
                           " does not point backwards");
      }
      if (resume == 0) resume = pos + 2;
      lowest = target;
      pos = target;
      limit = packet_.size();
      continue;
    }
    if (length > kMaxLabelLength)
      return failed_name("label longer than 63 octets or unknown label type");
    if (length == 0) {
      pos_ = resume != 0 ? resume : pos + 1;
      return out;
    }
    wire_length += length + 1;
    if (wire_length > kMaxNameLength) return failed_name("name longer than 255 octets");
    if (limit - pos - 1 < length) return failed_name("label runs past the end");
    out.labels.emplace_back(reinterpret_cast<const char*>(&packet_[pos + 1]), length);
    pos += 1 + length;
  }
}

Header WireReader::header() {
  Header h;
  h.id = u16();
  const uint16_t flags = u16();
  h.qr = flags & 0x8000;
  h.opcode = (flags >> 11) & 0xF;
  h.aa = flags & 0x0400;
  h.tc = flags & 0x0200;
  h.rd = flags & 0x0100;
  h.ra = flags & 0x0080;
  h.ad = flags & 0x0020;
  h.cd = flags & 0x0010;
  h.rcode = flags & 0xF;
  h.qdcount = u16();
  h.ancount = u16();
  h.nscount = u16();
  h.arcount = u16();
  return h;
}

Question WireReader::question() {
  Question q;
  q.name = name();
  q.type = u16();
  q.klass = u16();
  return q;
}

ParsedRecord WireReader::record() {
  ParsedRecord r;
  r.name = name();
  r.type = u16();
  r.klass = u16();
  r.ttl = u32();
  const uint16_t length = u16();
  if (!need(length)) return r;
  const size_t outer_end = end_;
  end_ = pos_ + length;
  r.rdata = rdata(r.type, length);
  if (ok() && !at_end()) fail(type_name(r.type) + " RDATA shorter than its length");
  if (ok()) end_ = outer_end;
  return r;
}

namespace {
std::string hex(std::span<const uint8_t> bytes) {
  std::string out;
  char digits[3];
  for (const uint8_t b : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", b);
    out += digits;
  }
  return out;
}
}  // namespace

std::string WireReader::character_string() {
  const uint8_t length = u8();
  if (!need(length)) return {};
  std::string out = "\"";
  for (size_t i = 0; i < length; ++i) {
    const uint8_t c = packet_[pos_ + i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03u", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  pos_ += length;
  return out + "\"";
}

std::string WireReader::rdata(uint16_t type, size_t length) {
  switch (type) {
    case rtype::kA:
    case rtype::kAAAA: {
      const size_t size = type == rtype::kA ? 4 : 16;
      if (length != size) {
        fail(type_name(type) + " RDATA of wrong length");
        return {};
      }
      char text[INET6_ADDRSTRLEN];
      inet_ntop(type == rtype::kA ? AF_INET : AF_INET6, &packet_[pos_], text, sizeof text);
      pos_ += size;
      return text;
    }
    case rtype::kCNAME:
    case rtype::kPTR:
    case rtype::kNS:
      return name().to_string();
    case rtype::kSRV: {
      const uint16_t priority = u16(), weight = u16(), port = u16();
      const std::string target = name().to_string();
      return std::to_string(priority) + " " + std::to_string(weight) + " " + std::to_string(port) +
             " " + target;
    }
    case rtype::kSOA: {
      std::string out = name().to_string();
      out += " " + name().to_string();
      for (int i = 0; i < 5; ++i) out += " " + std::to_string(u32());
      return out;
    }
    case rtype::kTXT: {
      std::string out;
      do {
        if (!out.empty()) out += ' ';
        out += character_string();
      } while (ok() && !at_end());
      return out;
    }
    default: {
      const std::span<const uint8_t> bytes = packet_.subspan(pos_, length);
      pos_ += length;
      return "\\# " + std::to_string(length) + (length == 0 ? "" : " " + hex(bytes));
    }
  }
}

std::string ParsedRecord::to_string() const {
  const std::string klass_text = klass == rclass::kIN ? "IN" : "CLASS" + std::to_string(klass);
  return name.to_string() + " " + std::to_string(ttl) + " " + klass_text + " " + type_name(type) +
         " " + rdata;
}

Result<Message> parse_message(std::span<const uint8_t> packet) {
  WireReader reader(packet);
  Message m;
  m.header = reader.header();
  for (uint16_t i = 0; i < m.header.qdcount && reader.ok(); ++i)
    m.questions.push_back(reader.question());
  const auto section = [&reader](std::vector<ParsedRecord>& out, uint16_t count) {
    for (uint16_t i = 0; i < count && reader.ok(); ++i) out.push_back(reader.record());
  };
  section(m.answers, m.header.ancount);
  section(m.authority, m.header.nscount);
  section(m.additional, m.header.arcount);
  if (reader.ok() && !reader.at_end())
    return Error::bad_request("trailing bytes after the last record");
  if (!reader.ok()) return Error::bad_request("malformed DNS message: " + reader.error());
  return m;
}

}  // namespace kinda::dns
