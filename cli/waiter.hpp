// Waiting on one object through the API's watch: until a status condition holds or until the
// object is gone (deleted, or replaced by a new object of the same name). Used by `wait` and by
// `delete --wait`; never polls.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/resources.hpp"
#include "api/timestamps.hpp"
#include "cli/api_client.hpp"
#include "cli/args.hpp"

namespace kinda::cli {

struct WaitTarget {
  const api::ResourceInfo* resource = nullptr;
  std::string ns;
  std::string name;
  std::string uid;  // for deletion: the object deleted; another uid under the name counts as gone
};

// Pure check of one observed state; `object` null means the object does not exist.
bool condition_met(const nlohmann::json& object, const WaitTarget& target,
                   const WaitCondition& condition);

// Ok once the condition holds. Errors: NotFound when waiting for a condition on a missing
// object, an is_timeout() error when `deadline` passes first (no deadline: wait forever).
Status wait_for(const ApiClient& client, const WaitTarget& target, const WaitCondition& condition,
                std::optional<api::Clock::time_point> deadline);

}  // namespace kinda::cli
