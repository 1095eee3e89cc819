#include "apiserver/transport/media_types.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace kinda::apiserver {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

bool parse_range(std::string_view text, MediaRange& range) {
  auto parts = split(text, ';');
  std::string_view full = trim(parts[0]);
  size_t slash = full.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == full.size()) return false;
  range.type = lower(trim(full.substr(0, slash)));
  range.subtype = lower(trim(full.substr(slash + 1)));
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view param = trim(parts[i]);
    if (param.empty()) continue;
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    std::string name = lower(trim(param.substr(0, eq)));
    std::string_view value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (name == "q") {
      std::string q(value);
      char* end = nullptr;
      range.q = std::strtod(q.c_str(), &end);
      if (q.empty() || end != q.c_str() + q.size() || range.q < 0 || range.q > 1) return false;
    } else {
      range.params[name] = std::string(value);
    }
  }
  return true;
}

}  // namespace

bool MediaRange::accepts_json() const {
  return (type == "application" && (subtype == "json" || subtype == "*")) ||
         (type == "*" && subtype == "*");
}

std::string MediaRange::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::vector<MediaRange> parse_accept(std::string_view header) {
  std::vector<MediaRange> ranges;
  for (std::string_view entry : split(header, ',')) {
    if (trim(entry).empty()) continue;
    MediaRange range;
    if (parse_range(entry, range) && range.q > 0) ranges.push_back(std::move(range));
  }
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const MediaRange& a, const MediaRange& b) { return a.q > b.q; });
  return ranges;
}

std::vector<std::string> header_list(std::string_view header) {
  std::vector<std::string> entries;
  for (std::string_view entry : split(header, ','))
    if (!trim(entry).empty()) entries.emplace_back(trim(entry));
  return entries;
}

}  // namespace kinda::apiserver
