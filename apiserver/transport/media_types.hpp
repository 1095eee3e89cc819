// The Accept header as the API server negotiates it: comma-separated media ranges
// ("application/json;as=Table;v=v1;g=meta.k8s.io, application/json;q=0.9, */*"), each a type,
// a subtype and parameters; the client's preference is by q-value, then by order.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kinda::apiserver {

struct MediaRange {
  std::string type;                           // "application", "*"
  std::string subtype;                        // "json", "*"
  std::map<std::string, std::string> params;  // names lower-cased, values unquoted; q left out
  double q = 1.0;

  // "application/json", "application/*" or "*/*".
  bool accepts_json() const;
  std::string param(const std::string& name) const;
};

// The ranges most preferred first; ranges that do not parse and ranges with q=0 are left out.
std::vector<MediaRange> parse_accept(std::string_view header);

// The entries of a comma-separated header list (Sec-WebSocket-Protocol), trimmed, empty ones left
// out.
std::vector<std::string> header_list(std::string_view header);

}  // namespace kinda::apiserver
