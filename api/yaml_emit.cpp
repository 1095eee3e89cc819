#include "api/yaml_emit.hpp"

#include <charconv>
#include <regex>
#include <string_view>

#include "api/manifest.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

enum class Style { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral };

bool is_special(unsigned char c) {
  return (c < 0x20 && c != '\n') || c == 0x7f;
}

bool is_blank_or_end(std::string_view s, size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\n';
}

// go-yaml's emitter analysis, reduced to block context: may `s` stand unquoted?
bool plain_allowed(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  if (s.starts_with("---") || s.starts_with("...")) return false;
  if (std::string_view("#,[]{}&*!|>'\"%@`").find(s[0]) != std::string_view::npos) return false;
  if ((s[0] == '?' || s[0] == ':' || s[0] == '-') && is_blank_or_end(s, 1)) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_special(c) || c == '\n') return false;
    if (i > 0 && c == ':' && is_blank_or_end(s, i + 1)) return false;
    if (i > 0 && c == '#' && s[i - 1] == ' ') return false;
  }
  return true;
}

bool reads_as_other_type(const std::string& s) {
  static const std::regex kBase60(R"(^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$)");
  return !resolve_plain_scalar(s).is_string() || std::regex_match(s, kBase60);
}

Style choose_style(const std::string& s, bool is_key) {
  if (reads_as_other_type(s)) return Style::kDoubleQuoted;
  if (s.find('\n') != std::string::npos) {
    bool literal_ok = !is_key && s.find_first_not_of(" \n") != std::string::npos &&
                      s.back() != ' ' && s.find(" \n") == std::string::npos;
    for (unsigned char c : s) literal_ok = literal_ok && !is_special(c);
    return literal_ok ? Style::kLiteral : Style::kDoubleQuoted;
  }
  if (plain_allowed(s)) return Style::kPlain;
  for (unsigned char c : s)
    if (is_special(c)) return Style::kDoubleQuoted;
  return Style::kSingleQuoted;
}

std::string double_quoted(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (is_special(c)) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string single_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// `|`, `|-` or `|+` by trailing newlines, with an indentation digit when the text starts blank.
std::string literal(const std::string& s, int indent) {
  std::string out = "|";
  if (s.front() == ' ' || s.front() == '\n') out += '2';
  size_t trailing = s.size() - 1 - s.find_last_not_of('\n');
  if (s.find_last_not_of('\n') == std::string::npos) trailing = s.size();
  if (trailing == 0) out += '-';
  if (trailing > 1) out += '+';
  std::string body = trailing == 0 ? s : s.substr(0, s.size() - 1);
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string_view line(body.data() + start, end - start);
    out += '\n';
    if (!line.empty()) out += std::string(indent + 2, ' ') + std::string(line);
    start = end + 1;
  }
  return out;
}

std::string string_scalar(const std::string& s, int indent, bool is_key) {
  switch (choose_style(s, is_key)) {
    case Style::kPlain:
      return s;
    case Style::kSingleQuoted:
      return single_quoted(s);
    case Style::kDoubleQuoted:
      return double_quoted(s);
    case Style::kLiteral:
      return literal(s, indent);
  }
  return s;
}

// Go's strconv.FormatFloat(f, 'g', -1, 64), which go-yaml uses for floats.
std::string go_float(double value) {
  char scientific[64];
  auto end = std::to_chars(scientific, scientific + sizeof scientific, value,
                           std::chars_format::scientific)
                 .ptr;
  std::string_view text(scientific, end - scientific);
  int exponent = std::stoi(std::string(text.substr(text.find('e') + 1)));
  if (exponent < -4 || exponent >= 6) return std::string(text);
  char fixed[400];
  end = std::to_chars(fixed, fixed + sizeof fixed, value, std::chars_format::fixed).ptr;
  return std::string(fixed, end - fixed);
}

std::string scalar(const json& value, int indent) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case json::value_t::number_float:
      return go_float(value.get<double>());
    case json::value_t::string:
      return string_scalar(value.get<std::string>(), indent, false);
    case json::value_t::object:
      return "{}";
    case json::value_t::array:
      return "[]";
    default:
      return value.dump();
  }
}

bool is_block(const json& value) {
  return (value.is_object() || value.is_array()) && !value.empty();
}

void emit_sequence(const json& items, int indent, bool inline_first, std::string& out);

// Writes a mapping at `indent`; with `inline_first` the first key continues the current line.
void emit_mapping(const json& object, int indent, bool inline_first, std::string& out) {
  bool first = true;
  for (const auto& [key, value] : object.items()) {
    if (!(first && inline_first)) out += std::string(indent, ' ');
    first = false;
    out += string_scalar(key, indent, true) + ":";
    if (value.is_object() && !value.empty()) {
      out += '\n';
      emit_mapping(value, indent + 2, false, out);
    } else if (value.is_array() && !value.empty()) {
      out += '\n';
      emit_sequence(value, indent, false, out);
    } else {
      out += " " + scalar(value, indent) + "\n";
    }
  }
}

void emit_sequence(const json& items, int indent, bool inline_first, std::string& out) {
  bool first = true;
  for (const auto& item : items) {
    if (!(first && inline_first)) out += std::string(indent, ' ');
    first = false;
    out += "- ";
    if (item.is_object() && is_block(item)) {
      emit_mapping(item, indent + 2, true, out);
    } else if (item.is_array() && is_block(item)) {
      emit_sequence(item, indent + 2, true, out);
    } else {
      out += scalar(item, indent) + "\n";
    }
  }
}

}  // namespace

std::string to_yaml(const json& value) {
  std::string out;
  if (value.is_object() && !value.empty()) {
    emit_mapping(value, 0, false, out);
  } else if (value.is_array() && !value.empty()) {
    emit_sequence(value, 0, false, out);
  } else {
    out = scalar(value, 0) + "\n";
  }
  return out;
}

}  // namespace kinda::api
