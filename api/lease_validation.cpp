#include "api/lease_validation.hpp"

namespace kinda::api {

using nlohmann::json;

void check_lease(Causes& c, const json& lease) {
  const json spec = lease.value("spec", json::object());
  if (!spec.is_object()) return;  // the decoder already refused a spec that is not an object
  if (auto it = spec.find("leaseDurationSeconds");
      it != spec.end() && it->is_number_integer() && it->get<long long>() <= 0)
    c.invalid("spec.leaseDurationSeconds", *it, "must be greater than 0");
  if (auto it = spec.find("leaseTransitions");
      it != spec.end() && it->is_number_integer() && it->get<long long>() < 0)
    c.invalid("spec.leaseTransitions", *it, "must be greater than or equal to 0");
  const std::string strategy = spec.value("strategy", json("")).is_string()
                                   ? spec.value("strategy", std::string())
                                   : std::string();
  // The one strategy coordinated leader election (1.32, alpha) defines.
  if (!strategy.empty() && strategy != "OldestEmulationVersion")
    c.unsupported("spec.strategy", strategy, "\"OldestEmulationVersion\"");
  if (strategy.empty() && !spec.value("preferredHolder", json("")).get<std::string>().empty())
    c.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined");
}

}  // namespace kinda::api
