#include "dns/zone_index.hpp"

#include "dns/responder.hpp"
#include "dns/zone_lookup.hpp"

namespace kinda::dns {

ZoneIndex::ZoneIndex(ZoneConfig config) : data_(std::move(config)) {}

ZoneIndex::ZoneIndex(ZoneIndex&& other) noexcept : data_(std::move(other.data_)) {}

void ZoneIndex::upsert_pod(PodEndpoint pod) {
  const std::lock_guard lock(mutex_);
  data_.upsert_pod(std::move(pod));
}

void ZoneIndex::remove_pod(const std::string& ns, const std::string& name) {
  const std::lock_guard lock(mutex_);
  data_.remove_pod(ns, name);
}

void ZoneIndex::upsert_service(ServiceEntry s) {
  const std::lock_guard lock(mutex_);
  data_.upsert_service(std::move(s));
}

void ZoneIndex::remove_service(const std::string& ns, const std::string& name) {
  const std::lock_guard lock(mutex_);
  data_.remove_service(ns, name);
}

void ZoneIndex::upsert_namespace(const std::string& name) {
  const std::lock_guard lock(mutex_);
  data_.upsert_namespace(name);
}

void ZoneIndex::remove_namespace(const std::string& name) {
  const std::lock_guard lock(mutex_);
  data_.remove_namespace(name);
}

std::vector<uint8_t> ZoneIndex::answer(const uint8_t* query, size_t size, size_t max_size) const {
  const std::lock_guard lock(mutex_);
  if (cached_generation_ != data_.generation()) {
    cache_.clear();
    cached_generation_ = data_.generation();
  }
  std::vector<uint8_t> response;
  if (cache_.find({query, size}, max_size, response)) return response;
  response =
      respond({query, size}, max_size, [this](const Question& q) { return resolve_locked(q); });
  cache_.remember({query, size}, max_size, response);
  return response;
}

Resolution ZoneIndex::resolve(const Question& question) const {
  const std::lock_guard lock(mutex_);
  return resolve_locked(question);
}

Resolution ZoneIndex::resolve_locked(const Question& question) const {
  return dns::resolve(data_, question);
}

uint32_t ZoneIndex::serial() const {
  const std::lock_guard lock(mutex_);
  return data_.serial();
}

}  // namespace kinda::dns
