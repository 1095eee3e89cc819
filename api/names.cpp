#include "api/names.hpp"

namespace kinda::api {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool label_chars_ok(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-') return false;
  return true;
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Kubernetes refuses names that would walk the file tree when used as a path component.
void add_dot_problems(std::string_view name, std::vector<std::string>& problems) {
  if (name == ".")
    problems.push_back("must not be '.'");
  else if (name == "..")
    problems.push_back("must not be '..'");
  else if (name.rfind("..", 0) == 0)
    problems.push_back("must not start with '..'");
}

}  // namespace

std::optional<std::string> check_dns1123_label(std::string_view name) {
  if (name.size() > 63) return "must be no more than 63 characters";
  if (!label_chars_ok(name))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
           "and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";
  return std::nullopt;
}

std::optional<std::string> check_dns1123_subdomain(std::string_view name) {
  if (name.size() > 253) return "must be no more than 253 characters";
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view label =
        name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (!label_chars_ok(label))
      return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
             "'-' or '.', and must start and end with an alphanumeric character (e.g. "
             "'example.com')";
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

std::vector<std::string> check_config_key(std::string_view key) {
  std::vector<std::string> problems;
  if (key.size() > 253) problems.push_back("must be no more than 253 characters");
  bool chars_ok = !key.empty();
  for (char c : key)
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '.' && c != '_') chars_ok = false;
  if (!chars_ok)
    problems.push_back(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
        "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')");
  add_dot_problems(key, problems);
  return problems;
}

std::vector<std::string> check_env_var_name(std::string_view name) {
  std::vector<std::string> problems;
  bool chars_ok = !name.empty() && !is_digit(name.front());
  for (char c : name)
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '.' && c != '_') chars_ok = false;
  if (!chars_ok)
    problems.push_back(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', "
        "'-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
        "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')");
  add_dot_problems(name, problems);
  return problems;
}

std::vector<std::string> check_port_name(std::string_view name) {
  std::vector<std::string> problems;
  if (name.size() > 15) problems.push_back("must be no more than 15 characters");
  bool chars_ok = true, has_letter = false;
  for (char c : name) {
    if (!is_alnum(c) && c != '-') chars_ok = false;
    if (c >= 'a' && c <= 'z') has_letter = true;
  }
  if (!chars_ok)
    problems.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!has_letter) problems.push_back("must contain at least one letter (a-z)");
  if (name.find("--") != std::string_view::npos)
    problems.push_back("must not contain consecutive hyphens");
  if (!name.empty() && (name.front() == '-' || name.back() == '-'))
    problems.push_back("must not begin or end with a hyphen");
  return problems;
}

}  // namespace kinda::api
