// The rows of Endpoints and EndpointSlices as the API server prints them (kubernetes
// printEndpoints, printEndpointSlice): at most three addresses, then "+ N more...".
#pragma once

#include <nlohmann/json.hpp>

#include "printers/table.hpp"

namespace kinda::printers {

// NAME ENDPOINTS AGE: "ip:port" for each ready address and port, "<none>" without subsets.
PrintedRow print_endpoints(const nlohmann::json& endpoints);
// NAME ADDRESSTYPE PORTS ENDPOINTS AGE: ports and addresses, "<unset>" when there are none.
PrintedRow print_endpoint_slice(const nlohmann::json& slice);

}  // namespace kinda::printers
