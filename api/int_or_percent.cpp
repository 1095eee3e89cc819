#include "api/int_or_percent.hpp"

#include <cctype>
#include <string>

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
