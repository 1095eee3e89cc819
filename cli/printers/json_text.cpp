#include "cli/printers/json_text.hpp"

#include <algorithm>

namespace kinda::cli {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// The index just past the string whose opening quote is at `i`.
size_t string_end(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;  // the escaped character, whatever it is
    else if (s[i] == '"')
      return i + 1;
  }
  return s.size();
}

// The index just past the value that starts at `i` (a string, object, array or scalar).
size_t value_end(std::string_view s, size_t i) {
  if (i >= s.size()) return i;
  if (s[i] == '"') return string_end(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"') {
        i = string_end(s, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return i;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_space(s[i])) ++i;
  return i;
}

void newline(std::string& out, int indent, int depth) {
  out += '\n';
  out.append(static_cast<size_t>(indent) * static_cast<size_t>(depth), ' ');
}

}  // namespace

std::optional<std::string_view> member_text(std::string_view object, std::string_view key) {
  size_t i = skip_space(object, 0);
  if (i >= object.size() || object[i] != '{') return std::nullopt;
  i = skip_space(object, i + 1);
  while (i < object.size() && object[i] == '"') {
    const size_t key_end = string_end(object, i);
    const std::string_view this_key = object.substr(i + 1, key_end - i - 2);
    i = skip_space(object, key_end);
    if (i >= object.size() || object[i] != ':') return std::nullopt;
    const size_t start = skip_space(object, i + 1);
    const size_t end = value_end(object, start);
    if (this_key == key) return object.substr(start, end - start);
    i = skip_space(object, end);
    if (i >= object.size() || object[i] != ',') return std::nullopt;
    i = skip_space(object, i + 1);
  }
  return std::nullopt;
}

std::optional<std::vector<std::string_view>> array_elements(std::string_view array) {
  size_t i = skip_space(array, 0);
  if (i >= array.size() || array[i] != '[') return std::nullopt;
  std::vector<std::string_view> elements;
  i = skip_space(array, i + 1);
  while (i < array.size() && array[i] != ']') {
    const size_t end = value_end(array, i);
    elements.push_back(array.substr(i, end - i));
    i = skip_space(array, end);
    if (i < array.size() && array[i] == ',') i = skip_space(array, i + 1);
  }
  return elements;
}

void append_indented(std::string_view value, int indent, int depth, std::string& out) {
  // Grow geometrically: called once per list item, an exact reserve would copy the whole output
  // again for every item (quadratic; 1,000 pods spent half of `get -o json` in memmove).
  if (const size_t needed = out.size() + value.size() * 2; needed > out.capacity())
    out.reserve(std::max(needed, out.capacity() * 2));
  for (size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '"') {
      const size_t end = string_end(value, i);
      out.append(value.substr(i, end - i));
      i = end;
    } else if (c == '{' || c == '[') {
      const size_t next = skip_space(value, i + 1);
      const char closer = c == '{' ? '}' : ']';
      out += c;
      if (next < value.size() && value[next] == closer) {  // dump() writes {} and [] on one line
        out += closer;
        i = next + 1;
      } else {
        newline(out, indent, ++depth);
        i = next;
      }
    } else if (c == '}' || c == ']') {
      newline(out, indent, --depth);
      out += c;
      ++i;
    } else if (c == ',') {
      out += ',';
      newline(out, indent, depth);
      i = skip_space(value, i + 1);
    } else if (c == ':') {
      out += ": ";
      i = skip_space(value, i + 1);
    } else {
      out += c;
      ++i;
    }
  }
}

}  // namespace kinda::cli
