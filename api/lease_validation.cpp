#include "api/lease_validation.hpp"

#include "api/object.hpp"

namespace kinda::api {

using nlohmann::json;

void check_lease(Causes& c, const json& lease) {
  const json* duration = find_path(lease, "spec.leaseDurationSeconds");
  if (duration && duration->is_number_integer() && duration->get<long long>() <= 0)
    c.invalid("spec.leaseDurationSeconds", *duration, "must be greater than 0");
  const json* transitions = find_path(lease, "spec.leaseTransitions");
  if (transitions && transitions->is_number_integer() && transitions->get<long long>() < 0)
    c.invalid("spec.leaseTransitions", *transitions, "must be greater than or equal to 0");
  const std::string strategy = string_at(lease, "spec.strategy");
  // The one strategy coordinated leader election (1.32, alpha) defines.
  if (!strategy.empty() && strategy != "OldestEmulationVersion")
    c.unsupported("spec.strategy", strategy, "\"OldestEmulationVersion\"");
  if (strategy.empty() && !string_at(lease, "spec.preferredHolder").empty())
    c.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined");
}

}  // namespace kinda::api
