#include "api/quantity.hpp"

#include <limits>
#include <string_view>

namespace kinda::api {
namespace {

// A parsed quantity: digits × 10^exp10 × 2^exp2, exactly, so rounding never depends on floating
// point ("0.1" CPU is 100 millicores, not 100.00000000000001).
struct Quantity {
  bool negative = false;
  std::string digits;  // decimal digits without leading zeros; "" means zero
  long long exp10 = 0;
  int exp2 = 0;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool suffix_scale(std::string_view suffix, Quantity& q) {
  static const std::pair<std::string_view, int> decimal[] = {
      {"", 0},  {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3},
      {"M", 6}, {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static const std::pair<std::string_view, int> binary[] = {{"Ki", 10}, {"Mi", 20}, {"Gi", 30},
                                                            {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  for (const auto& [s, e] : decimal)
    if (suffix == s) return q.exp10 += e, true;
  for (const auto& [s, e] : binary)
    if (suffix == s) return q.exp2 = e, true;
  // An exponent: "e3", "E-2", "e+6".
  if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) return false;
  std::string_view number = suffix.substr(1);
  bool minus = number.front() == '-';
  if (number.front() == '-' || number.front() == '+') number.remove_prefix(1);
  if (number.empty() || number.size() > 9) return false;
  long long e = 0;
  for (char c : number) {
    if (!is_digit(c)) return false;
    e = e * 10 + (c - '0');
  }
  q.exp10 += minus ? -e : e;
  return true;
}

// Kubernetes' grammar: sign, digits with at most one '.', then a suffix, the whole matching
// ^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$.
std::optional<Quantity> parse(std::string_view text) {
  Quantity q;
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) q.negative = text[pos++] == '-';
  std::string whole, fraction;
  while (pos < text.size() && is_digit(text[pos])) whole += text[pos++];
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) fraction += text[pos++];
  }
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if (!suffix_scale(text.substr(pos), q)) return std::nullopt;
  q.digits = whole + fraction;
  q.exp10 -= static_cast<long long>(fraction.size());
  size_t first = q.digits.find_first_not_of('0');
  q.digits = first == std::string::npos ? "" : q.digits.substr(first);
  return q;
}

// digits × 10^exp10 × 2^exp2, rounded up to an integer; nullopt past int64.
std::optional<int64_t> round_up(Quantity q, int extra_exp10) {
  if (q.negative && !q.digits.empty()) return std::nullopt;
  if (q.digits.empty()) return 0;
  for (int i = 0; i < q.exp2; ++i) {  // multiply the decimal digit string by two
    int carry = 0;
    for (auto it = q.digits.rbegin(); it != q.digits.rend(); ++it) {
      int d = (*it - '0') * 2 + carry;
      *it = static_cast<char>('0' + d % 10);
      carry = d / 10;
    }
    if (carry) q.digits.insert(q.digits.begin(), static_cast<char>('0' + carry));
  }
  long long exp10 = q.exp10 + extra_exp10;
  long long integer_digits = static_cast<long long>(q.digits.size()) + exp10;
  if (integer_digits > 19) return std::nullopt;
  if (integer_digits <= 0) return 1;  // a positive value below one unit
  std::string integer = exp10 >= 0 ? q.digits + std::string(exp10, '0')
                                   : q.digits.substr(0, static_cast<size_t>(integer_digits));
  bool has_fraction =
      exp10 < 0 && q.digits.find_first_not_of('0', integer_digits) != std::string::npos;
  unsigned long long value = std::stoull(integer);
  if (has_fraction) ++value;
  if (value > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()))
    return std::nullopt;
  return static_cast<int64_t>(value);
}

}  // namespace

std::optional<std::string> quantity_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

std::optional<int64_t> memory_bytes(const std::string& quantity) {
  auto q = parse(quantity);
  if (!q) return std::nullopt;
  return round_up(*q, 0);
}

std::optional<int64_t> memory_bytes(const nlohmann::json& quantity) {
  auto text = quantity_text(quantity);
  return text ? memory_bytes(*text) : std::nullopt;
}

std::optional<int64_t> cpu_millicores(const std::string& quantity) {
  auto q = parse(quantity);
  if (!q) return std::nullopt;
  return round_up(*q, 3);
}

std::optional<int64_t> cpu_millicores(const nlohmann::json& quantity) {
  auto text = quantity_text(quantity);
  return text ? cpu_millicores(*text) : std::nullopt;
}

std::optional<std::string> check_resource_quantity(const nlohmann::json& value) {
  auto text = quantity_text(value);
  auto q = text ? parse(*text) : std::nullopt;
  if (!q)
    return "quantities must match the regular expression "
           "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  if (q->negative && !q->digits.empty()) return "must be greater than or equal to 0";
  return std::nullopt;
}

}  // namespace kinda::api
