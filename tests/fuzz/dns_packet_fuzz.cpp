// Fuzz entry point for the DNS packet path: whatever bytes arrive, ZoneIndex::answer must
// return nothing or a well-formed response with the query's id that fits the transport, and
// the reader must never read out of bounds (checked by AddressSanitizer under libFuzzer).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dns/wire_reader.hpp"
#include "dns/zone_index.hpp"

namespace {

kinda::dns::ZoneIndex fuzz_zone() {
  using namespace kinda::dns;
  ZoneConfig config;
  config.reverse_cidrs = {"127.64.0.0/16"};
  ZoneIndex index(config);
  index.upsert_namespace("default");
  ServiceEntry headless;
  headless.ns = "default";
  headless.name = "db";
  headless.headless = true;
  headless.selector = {{"app", "db"}};
  headless.ports = {{"peer", "TCP", 2380}, {"", "UDP", 53}};
  index.upsert_service(headless);
  ServiceEntry cluster_ip = headless;
  cluster_ip.name = "web";
  cluster_ip.headless = false;
  cluster_ip.cluster_ip = "127.64.200.1";
  index.upsert_service(cluster_ip);
  ServiceEntry external;
  external.ns = "default";
  external.name = "ext";
  external.external_name = "example.com";
  index.upsert_service(external);
  for (int i = 0; i < 40; ++i) {
    PodEndpoint pod;
    pod.ns = "default";
    pod.name = pod.hostname = "db-" + std::to_string(i);
    pod.subdomain = "db";
    pod.ip = "127.64.0." + std::to_string(i + 1);
    pod.ready = i % 3 != 0;
    pod.labels = {{"app", "db"}};
    index.upsert_pod(pod);
  }
  return index;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kinda::dns::ZoneIndex index = fuzz_zone();
  (void)kinda::dns::parse_message({data, size});
  for (const size_t limit : {size_t{512}, size_t{65535}}) {
    const std::vector<uint8_t> response = index.answer(data, size, limit);
    // The second time comes from the answer cache, and must be the same bytes.
    if (index.answer(data, size, limit) != response) __builtin_trap();
    if (response.empty()) continue;
    const auto message = kinda::dns::parse_message(response);
    const uint16_t id = static_cast<uint16_t>(data[0] << 8 | data[1]);
    if (!message.ok() || message->header.id != id || !message->header.qr ||
        response.size() > std::max<size_t>(limit, 1232)) {
      __builtin_trap();
    }
  }
  return 0;
}
