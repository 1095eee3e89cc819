#include "api/manifest.hpp"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <optional>
#include <regex>
#include <utility>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>

#include "api/json_limits.hpp"
#include "api/yaml_reader.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

bool one_of(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options)
    if (s == o) return true;
  return false;
}

// Go's strconv.ParseInt/ParseUint with base 0, as go-yaml uses them: optional sign, then 0x, 0o,
// 0b or a leading 0 (octal) prefix, else decimal.
json parse_integer(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O')) {
    base = 8;
    digits.remove_prefix(2);
  } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
    base = 2;
    digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
    digits.remove_prefix(1);
  }
  if (digits.empty()) return nullptr;
  for (char c : digits) {
    int v = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : 99;
    if (v >= base) return nullptr;
  }
  std::string owned(digits);
  errno = 0;
  unsigned long long magnitude = std::strtoull(owned.c_str(), nullptr, base);
  if (errno == ERANGE) return nullptr;
  constexpr unsigned long long kMinMagnitude = 9223372036854775808ULL;
  if (negative) {
    if (magnitude > kMinMagnitude) return nullptr;
    return magnitude == kMinMagnitude ? json(std::numeric_limits<int64_t>::min())
                                      : json(-static_cast<int64_t>(magnitude));
  }
  if (magnitude < kMinMagnitude) return json(static_cast<int64_t>(magnitude));
  return json(static_cast<uint64_t>(magnitude));
}

// go-yaml's reader refuses what is not UTF-8 text; yaml-cpp would pass the bytes on into strings
// that JSON cannot encode. Returns the 1-based line of the first offending byte, and why.
std::optional<std::pair<size_t, std::string>> bad_text(std::string_view text) {
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
        return std::pair{line, std::string("control characters are not allowed")};
      continue;
    }
    // Lengths and ranges of RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
    size_t length = c >= 0xc2 && c <= 0xdf   ? 2
                    : c >= 0xe0 && c <= 0xef ? 3
                    : c >= 0xf0 && c <= 0xf4 ? 4
                                             : 0;
    if (length == 0 || i + length > text.size())
      return std::pair{line, std::string("invalid UTF-8")};
    const auto second = static_cast<unsigned char>(text[i + 1]);
    const unsigned char low = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
    const unsigned char high = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
    bool valid = second >= low && second <= high;
    for (size_t k = 2; k < length && valid; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    if (!valid) return std::pair{line, std::string("invalid UTF-8")};
    i += length - 1;
  }
  return std::nullopt;
}

bool is_list(const json& doc) {
  return doc.is_object() && doc.contains("kind") && doc["kind"] == "List" && doc.contains("items");
}

// Appends `doc`, or the items of a (possibly nested) List, to `out`.
Status append_objects(json doc, const std::string& source, std::vector<json>& out) {
  if (doc.is_null()) return Ok{};
  if (!doc.is_object())
    return Error::bad_request("error parsing " + source +
                              ": a document is not a Kubernetes object (expected a mapping "
                              "with apiVersion, kind and metadata)");
  if (!is_list(doc)) {
    out.push_back(std::move(doc));
    return Ok{};
  }
  if (!doc["items"].is_array() && !doc["items"].is_null())
    return Error::bad_request("error parsing " + source + ": the items of a List must be a list");
  if (doc["items"].is_null()) return Ok{};
  for (auto& item : doc["items"]) {
    if (auto s = append_objects(std::move(item), source, out); !s) return s.error();
  }
  return Ok{};
}

Result<std::vector<json>> parse_json(std::string_view text, const std::string& source) {
  json doc;
  if (json_text_depth(text) > kMaxNestingDepth)
    return Error::bad_request("error parsing " + source + ": json: exceeded max depth of " +
                              std::to_string(kMaxNestingDepth));
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    size_t offset = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    size_t line = 1;
    for (size_t i = 0; i < offset; ++i) line += text[i] == '\n';
    std::string what = e.what();
    if (auto column = what.find(", column "); column != std::string::npos) {
      if (auto colon = what.find(": ", column); colon != std::string::npos)
        what = what.substr(colon + 2);
    }
    return Error::bad_request("error parsing " + source + ": json: line " + std::to_string(line) +
                              ": " + what);
  }
  std::vector<json> out;
  if (doc.is_array()) {
    for (auto& item : doc)
      if (auto s = append_objects(std::move(item), source, out); !s) return s.error();
  } else if (auto s = append_objects(std::move(doc), source, out); !s) {
    return s.error();
  }
  return out;
}

}  // namespace

json resolve_plain_scalar(std::string_view text) {
  if (one_of(text, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (one_of(text, {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"}))
    return true;
  if (one_of(text, {"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"}))
    return false;
  if (std::string_view("+-.0123456789").find(text[0]) == std::string_view::npos)
    return std::string(text);
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  if (json integer = parse_integer(plain); !integer.is_null()) return integer;
  static const std::regex kFloat(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (std::regex_match(plain, kFloat)) {
    errno = 0;
    double value = std::strtod(plain.c_str(), nullptr);
    if (errno != ERANGE) return value;
  }
  return std::string(text);
}

Result<std::vector<json>> parse_manifests(std::string_view text, const std::string& source_name) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '['))
    return parse_json(text, source_name);
  if (auto bad = bad_text(text))
    return Error::bad_request("error parsing " + source_name + ": yaml: line " +
                              std::to_string(bad->first) + ": " + bad->second);
  std::vector<json> out;
  try {
    for (json& doc : read_yaml_documents(std::string(text))) {
      if (auto s = append_objects(std::move(doc), source_name, out); !s) return s.error();
    }
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own nesting limit; its message would only say "bad file".
    return Error::bad_request("error parsing " + source_name + ": yaml: line " +
                              std::to_string(e.mark.line + 1) + ": exceeded max depth of " +
                              std::to_string(e.depth()));
  } catch (const YAML::Exception& e) {
    return Error::bad_request("error parsing " + source_name + ": yaml: line " +
                              std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return out;
}

}  // namespace kinda::api
