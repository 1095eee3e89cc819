#include "cli/printers/sort_by.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <optional>

#include "cli/printers/jsonpath.hpp"

namespace kinda::cli {

using nlohmann::json;

namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Whether a sorts before b, for two values the expression found.
bool value_less(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() < b.get<double>();
  if (a.is_string() && b.is_string())
    return natural_less(a.get<std::string>(), b.get<std::string>());
  if (a.is_boolean() && b.is_boolean()) return !a.get<bool>() && b.get<bool>();
  return natural_less(a.dump(), b.dump());
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      size_t i_end = i, j_end = j;
      while (i_end < a.size() && is_digit(a[i_end])) ++i_end;
      while (j_end < b.size() && is_digit(b[j_end])) ++j_end;
      std::string_view x = a.substr(i, i_end - i), y = b.substr(j, j_end - j);
      // Leading zeros do not make a number larger.
      while (x.size() > 1 && x.front() == '0') x.remove_prefix(1);
      while (y.size() > 1 && y.front() == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i_end, j = j_end;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i, ++j;
  }
  return a.size() - i < b.size() - j;
}

Result<std::vector<size_t>> sort_order(const std::vector<json>& objects,
                                       std::string_view expression) {
  auto path = JsonPath::parse_relaxed(expression);
  if (!path) return path.error();
  std::vector<std::optional<json>> keys;
  bool any = false;
  for (const auto& object : objects) {
    auto values = path->values(object);
    if (values && !values->empty()) {
      keys.emplace_back(values->front());
      any = true;
    } else {
      keys.emplace_back();
    }
  }
  if (!any && !objects.empty())
    return Error::bad_request("couldn't find any field with path \"" + std::string(expression) +
                              "\" in the list of objects");
  std::vector<size_t> order(objects.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&keys](size_t x, size_t y) {
    if (!keys[x] || !keys[y]) return !keys[x] && keys[y];
    return value_less(*keys[x], *keys[y]);
  });
  return order;
}

}  // namespace kinda::cli
