// Kubernetes name rules. Names become file paths, DNS labels and environment variables, so
// everything that takes a name from a user checks it here first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinda::api {

// RFC 1123 label: at most 63 of [a-z0-9-], starting and ending alphanumeric.
// Returns nullopt when valid, else the reason in kubectl's words.
std::optional<std::string> check_dns1123_label(std::string_view name);
// RFC 1123 subdomain: at most 253 characters, dot-separated labels.
std::optional<std::string> check_dns1123_subdomain(std::string_view name);

// The checks below return every problem Kubernetes reports (each one a cause of its own); empty
// when the name is valid.

// A ConfigMap or Secret data key: at most 253 of [-._a-zA-Z0-9], not "." or "..", not "..x".
std::vector<std::string> check_config_key(std::string_view key);
// An environment variable name: [-._a-zA-Z][-._a-zA-Z0-9]*, with the same dot rules.
std::vector<std::string> check_env_var_name(std::string_view name);
// A port name (IANA_SVC_NAME): at most 15 of [a-z0-9-], at least one letter, no leading,
// trailing or doubled '-'.
std::vector<std::string> check_port_name(std::string_view name);

}  // namespace kinda::api
