// Server-side apply (PATCH with application/apply-patch+yaml): an applied configuration merges
// into the live object field by field, with the list rules of the kind's Go types (items merge by
// their key, sets by value, other lists and opaque subtrees are replaced), and the manager comes
// to own exactly the fields it applied. Fields it applied before and no longer does are removed
// unless another manager owns them too. Changing a field another manager owns is a conflict (409)
// unless forced, which takes the field over; as in the API server, the manager "kubectl" may take
// the fields the object's last-applied-configuration annotation names, so kubectl's first
// server-side apply after client-side ones does not conflict with them. Approximations of the
// API server: list items keep the live order (new ones go last), keyed lists are keyed by their
// patch merge key only, and maps and opaque subtrees count as one field each.
#pragma once

#include <nlohmann/json.hpp>

#include "api/error.hpp"
#include "api/kind_types.hpp"
#include "api/managed_fields.hpp"

namespace kinda::api {

struct ApplyOptions {
  ManagerEntry who;  // operation "Apply"
  bool force = false;
};

// The object after `config` is applied to `live` (null when the object does not exist yet),
// with metadata.managedFields updated. Defaulting and validation are the caller's.
Result<nlohmann::json> server_side_apply(const StructType* type, const nlohmann::json& live,
                                         nlohmann::json config, const ApplyOptions& options);

}  // namespace kinda::api
