// The cluster's DNS zone: the daemon keeps it current with upserts and removals as objects
// change, and the server asks it to answer raw query packets. Thread-safe: the daemon updates it
// from its own thread while the DNS server answers on another, so a query never waits behind the
// controllers' work. Lookups touch hash maps and one service's endpoints, no scans.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "dns/answer_cache.hpp"
#include "dns/records.hpp"
#include "dns/zone_data.hpp"
#include "dns/zone_types.hpp"

namespace kinda::dns {

class ZoneIndex {
 public:
  // Requires validate(config) to pass; throws std::invalid_argument otherwise.
  explicit ZoneIndex(ZoneConfig config = {});
  // Moves a zone that is being built (test fixtures return them); never one threads share.
  ZoneIndex(ZoneIndex&& other) noexcept;

  void upsert_pod(PodEndpoint pod);
  void remove_pod(const std::string& ns, const std::string& name);
  void upsert_service(ServiceEntry s);
  void remove_service(const std::string& ns, const std::string& name);
  void upsert_namespace(const std::string& name);
  void remove_namespace(const std::string& name);

  // Builds the full response packet for a raw query packet; max_size is 512 for plain UDP and
  // 65535 for TCP, raised up to 1232 by a query's EDNS payload size. Truncates (TC bit) when
  // needed. Returns empty only when the packet is too broken to answer at all (then drop it).
  std::vector<uint8_t> answer(const uint8_t* query, size_t size, size_t max_size) const;
  // The zone's reply to one question, before encoding.
  Resolution resolve(const Question& question) const;
  // Unix time of the last change: the SOA serial.
  uint32_t serial() const;

 private:
  Resolution resolve_locked(const Question& question) const;

  mutable std::mutex mutex_;  // guards everything below
  ZoneData data_;
  mutable AnswerCache cache_;
  mutable uint64_t cached_generation_ = 0;
};

}  // namespace kinda::dns
