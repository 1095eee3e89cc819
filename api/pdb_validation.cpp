#include "api/pdb_validation.hpp"

#include "api/int_or_percent.hpp"
#include "api/labels.hpp"

namespace kinda::api {

void check_pod_disruption_budget(Causes& c, const nlohmann::json& pdb) {
  const nlohmann::json& spec = field(pdb, "spec");
  if (spec.is_null()) return;
  if (!spec.is_object()) return c.invalid("spec", spec, "must be an object");
  const auto& min_available = field(spec, "minAvailable");
  const auto& max_unavailable = field(spec, "maxUnavailable");
  if (!min_available.is_null() && !max_unavailable.is_null())
    c.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set");
  check_int_or_percent(c, min_available, "spec.minAvailable");
  check_int_or_percent(c, max_unavailable, "spec.maxUnavailable");
  if (const auto& selector = field(spec, "selector"); !selector.is_null())
    if (auto parsed = Selector::from_json(selector); !parsed)
      c.add("spec.selector", parsed.error().message);
  if (const auto& policy = field(spec, "unhealthyPodEvictionPolicy");
      !policy.is_null() && policy != "IfHealthyBudget" && policy != "AlwaysAllow")
    c.unsupported("spec.unhealthyPodEvictionPolicy", policy,
                  "\"AlwaysAllow\", \"IfHealthyBudget\"");
}

}  // namespace kinda::api
