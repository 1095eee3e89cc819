// Builds DNS packets: big-endian integers, names compressed against names already written
// (ignoring case), RDATA lengths patched in afterwards. truncate() rolls the packet back to an
// earlier size and forgets compression targets beyond it, so a record that did not fit can go.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "dns/records.hpp"
#include "dns/wire.hpp"

namespace kinda::dns {

class WireWriter {
 public:
  WireWriter();  // starts with an all-zero header

  void header(const Header& header);  // rewrites the first 12 octets
  void u8(uint8_t value);
  void u16(uint16_t value);
  void u32(uint32_t value);
  void bytes(std::span<const uint8_t> data);
  void name(const Name& name);
  // For fields that must not be compressed (the SRV target, RFC 2782); later names may still
  // point into it.
  void uncompressed_name(const Name& name);
  void question(const Question& question);
  void record(const ResourceRecord& record);  // class IN
  // The EDNS pseudo-record (RFC 6891): root owner, our UDP payload size, upper rcode bits.
  void opt(uint16_t udp_payload_size, uint8_t extended_rcode);

  size_t size() const { return buffer_.size(); }
  void truncate(size_t size);
  std::vector<uint8_t> take() && { return std::move(buffer_); }

 private:
  void write_name(const Name& name, bool compress);
  void rdata(const RData& data);

  std::vector<uint8_t> buffer_;
  std::unordered_map<std::string, uint16_t> suffix_offsets_;  // lower-cased wire form → offset
};

}  // namespace kinda::dns
