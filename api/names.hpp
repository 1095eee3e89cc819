// Kubernetes name rules. Names become file paths and DNS labels, so everything that takes a name
// from a user checks it here first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kinda::api {

// RFC 1123 label: at most 63 of [a-z0-9-], starting and ending alphanumeric.
// Returns nullopt when valid, else the reason in kubectl's words.
std::optional<std::string> check_dns1123_label(std::string_view name);
// RFC 1123 subdomain: at most 253 characters, dot-separated labels.
std::optional<std::string> check_dns1123_subdomain(std::string_view name);

}  // namespace kinda::api
