// Standard base64 (RFC 4648, padded) as Kubernetes reads and writes Secret data and ConfigMap
// binaryData. Decoding follows Go's base64.StdEncoding, which the API server uses: line breaks
// are skipped, padding is required, and an error names the offending input byte.
#pragma once

#include <string>
#include <string_view>

#include "api/error.hpp"

namespace kinda::api {

std::string base64_encode(std::string_view bytes);
// The decoded bytes, or a BadRequest whose message is Go's: "illegal base64 data at input byte N".
Result<std::string> base64_decode(std::string_view text);

}  // namespace kinda::api
