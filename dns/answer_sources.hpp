// Where a Server's listeners get their answers: the zone, at once, and for names outside it the
// forwarder when the server has one. Owned by the Server, which closes its listeners before it
// lets go of either. Internal to dns/.
#pragma once

#include <memory>

#include "dns/forwarder.hpp"

namespace kinda::dns {

class ZoneIndex;

struct AnswerSources {
  const ZoneIndex& zone;
  std::unique_ptr<Forwarder> forwarder;  // null: names outside the zone are REFUSED
};

}  // namespace kinda::dns
