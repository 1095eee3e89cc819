#include "dns/wire_writer.hpp"

#include <algorithm>
#include <string_view>

namespace kinda::dns {

namespace {
constexpr size_t kMaxPointerOffset = 0x3FFF;
constexpr size_t kMaxCharacterString = 255;

// The lower-cased wire form of labels[first..]: unambiguous even when labels hold dots.
std::string suffix_key(const Name& name, size_t first) {
  std::string key;
  for (size_t i = first; i < name.labels.size(); ++i) {
    key += static_cast<char>(name.labels[i].size());
    key += ascii_lower(name.labels[i]);
  }
  return key;
}
}  // namespace

WireWriter::WireWriter() : buffer_(kHeaderSize, 0) {
  buffer_.reserve(kClassicUdpSize);
}

void WireWriter::header(const Header& h) {
  const uint16_t flags =
      static_cast<uint16_t>((h.qr ? 0x8000 : 0) | (h.opcode & 0xF) << 11 | (h.aa ? 0x0400 : 0) |
                            (h.tc ? 0x0200 : 0) | (h.rd ? 0x0100 : 0) | (h.ra ? 0x0080 : 0) |
                            (h.ad ? 0x0020 : 0) | (h.cd ? 0x0010 : 0) | (h.rcode & 0xF));
  const uint16_t fields[] = {h.id, flags, h.qdcount, h.ancount, h.nscount, h.arcount};
  for (size_t i = 0; i < 6; ++i) {
    buffer_[2 * i] = static_cast<uint8_t>(fields[i] >> 8);
    buffer_[2 * i + 1] = static_cast<uint8_t>(fields[i]);
  }
}

void WireWriter::u8(uint8_t value) {
  buffer_.push_back(value);
}

void WireWriter::u16(uint16_t value) {
  buffer_.push_back(static_cast<uint8_t>(value >> 8));
  buffer_.push_back(static_cast<uint8_t>(value));
}

void WireWriter::u32(uint32_t value) {
  u16(static_cast<uint16_t>(value >> 16));
  u16(static_cast<uint16_t>(value));
}

void WireWriter::bytes(std::span<const uint8_t> data) {
  buffer_.insert(buffer_.end(), data.begin(), data.end());
}

void WireWriter::name(const Name& name) {
  write_name(name, true);
}

void WireWriter::uncompressed_name(const Name& name) {
  write_name(name, false);
}

void WireWriter::write_name(const Name& name, bool compress) {
  size_t first_shared = name.labels.size();
  uint16_t pointer = 0;
  if (compress) {
    for (size_t i = 0; i < name.labels.size(); ++i) {
      const auto found = suffix_offsets_.find(suffix_key(name, i));
      if (found != suffix_offsets_.end()) {
        first_shared = i;
        pointer = found->second;
        break;
      }
    }
  }
  for (size_t i = 0; i < first_shared; ++i) {
    if (buffer_.size() <= kMaxPointerOffset)
      suffix_offsets_.emplace(suffix_key(name, i), static_cast<uint16_t>(buffer_.size()));
    const std::string& label = name.labels[i];
    u8(static_cast<uint8_t>(label.size()));
    buffer_.insert(buffer_.end(), label.begin(), label.end());
  }
  if (first_shared < name.labels.size()) {
    u16(static_cast<uint16_t>(0xC000 | pointer));
  } else {
    u8(0);
  }
}

void WireWriter::question(const Question& q) {
  name(q.name);
  u16(q.type);
  u16(q.klass);
}

void WireWriter::record(const ResourceRecord& r) {
  name(r.owner);
  u16(r.type);
  u16(rclass::kIN);
  u32(r.ttl);
  const size_t length_at = buffer_.size();
  u16(0);
  rdata(r.data);
  const size_t length = buffer_.size() - length_at - 2;
  buffer_[length_at] = static_cast<uint8_t>(length >> 8);
  buffer_[length_at + 1] = static_cast<uint8_t>(length);
}

void WireWriter::rdata(const RData& data) {
  struct Visitor {
    WireWriter& w;
    void operator()(const Ipv4Data& d) { w.bytes(d.address); }
    void operator()(const Ipv6Data& d) { w.bytes(d.address); }
    void operator()(const NameData& d) { w.name(d.target); }
    void operator()(const SrvData& d) {
      w.u16(d.priority);
      w.u16(d.weight);
      w.u16(d.port);
      w.uncompressed_name(d.target);
    }
    void operator()(const SoaData& d) {
      w.name(d.mname);
      w.name(d.rname);
      for (const uint32_t v : {d.serial, d.refresh, d.retry, d.expire, d.minimum}) w.u32(v);
    }
    void operator()(const TxtData& d) {
      for (std::string_view text : d.strings) {
        // Longer text continues in the next character-string, as zone files split it.
        do {
          const std::string_view chunk = text.substr(0, kMaxCharacterString);
          w.u8(static_cast<uint8_t>(chunk.size()));
          w.bytes({reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()});
          text.remove_prefix(chunk.size());
        } while (!text.empty());
      }
    }
  };
  std::visit(Visitor{*this}, data);
}

void WireWriter::opt(uint16_t udp_payload_size, uint8_t extended_rcode) {
  u8(0);
  u16(rtype::kOPT);
  u16(udp_payload_size);
  u32(static_cast<uint32_t>(extended_rcode) << 24);  // version 0, no flags
  u16(0);
}

void WireWriter::truncate(size_t size) {
  buffer_.resize(std::max(size, kHeaderSize));
  std::erase_if(suffix_offsets_, [size](const auto& entry) { return entry.second >= size; });
}

}  // namespace kinda::dns
