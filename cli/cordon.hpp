// Cordoning as kubectl's cordon helper does it: spec.unschedulable is patched only when it
// differs from what is wanted, so repeating a cordon reports "already cordoned" and changes
// nothing. Used by `cordon`, `uncordon` and `drain`.
#pragma once

#include <string>

#include "api/error.hpp"
#include "cli/api_client.hpp"

namespace kinda::cli {

// Marks the node unschedulable (`cordon` true) or schedulable again; returns the line kubectl
// prints: "node/NAME cordoned", "node/NAME already cordoned", "node/NAME uncordoned", ….
Result<std::string> set_cordon(const ApiClient& client, const std::string& node, bool cordon);

}  // namespace kinda::cli
