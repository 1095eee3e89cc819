#include "printers/label_selector_text.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "printers/fields.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

std::string joined_by_commas(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

}  // namespace

std::string label_selector_text(const json& selector) {
  // labels.Selector.String(): requirements sorted by key, values of a set sorted.
  std::vector<std::pair<std::string, std::string>> requirements;
  if (const json& labels = field(selector, "matchLabels"); labels.is_object())
    for (const auto& [key, value] : labels.items())
      requirements.emplace_back(key, key + "=" + value_text(value));
  for (const auto& expression : array_at(selector, "matchExpressions")) {
    const std::string key = api::string_at(expression, "key");
    const std::string op = api::string_at(expression, "operator");
    std::vector<std::string> values;
    for (const auto& v : array_at(expression, "values")) values.push_back(value_text(v));
    std::sort(values.begin(), values.end());
    if (op == "In")
      requirements.emplace_back(key, key + " in (" + joined_by_commas(values) + ")");
    else if (op == "NotIn")
      requirements.emplace_back(key, key + " notin (" + joined_by_commas(values) + ")");
    else if (op == "Exists")
      requirements.emplace_back(key, key);
    else if (op == "DoesNotExist")
      requirements.emplace_back(key, "!" + key);
  }
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> parts;
  for (const auto& r : requirements) parts.push_back(r.second);
  return parts.empty() ? "<none>" : joined_by_commas(parts);
}

}  // namespace kinda::printers
