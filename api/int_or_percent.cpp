#include "api/int_or_percent.hpp"

#include <cctype>

namespace kinda::api {
std::optional<long long> percent_of(const std::string& text) {
  if (text.size() < 2 || text.back() != '%' || text.size() > 12) return std::nullopt;
  long long n = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

bool is_percent(const nlohmann::json& value) {
  return value.is_string() && percent_of(value.get<std::string>()).has_value();
}

void check_int_or_percent(Causes& c, const nlohmann::json& value, const std::string& path) {
  if (value.is_null()) return;
  if (value.is_number_integer()) {
    if (value.get<long long>() < 0) c.invalid(path, value, "must be greater than or equal to 0");
    return;
  }
  if (!value.is_string())
    return c.invalid(path, value, "must be an integer or a percentage string");
  auto percent = percent_of(value.get<std::string>());
  if (!percent)
    return c.invalid(path, value,
                     "a valid percent string must be a numeric string followed by an ending '%' "
                     "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
  if (*percent > 100) c.invalid(path, value, "must not be greater than 100%");
}

std::optional<long long> scaled_int_or_percent(const nlohmann::json& value, long long total,
                                               bool round_up) {
  if (value.is_number_integer()) return value.get<long long>();
  if (!value.is_string()) return std::nullopt;
  auto percent = percent_of(value.get<std::string>());
  if (!percent) return std::nullopt;
  long long product = *percent * total;
  return round_up ? (product + 99) / 100 : product / 100;
}

}  // namespace kinda::api
