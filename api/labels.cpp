#include "api/labels.hpp"

#include <algorithm>
#include <cctype>

namespace kinda::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits on commas that are not inside parentheses ("a in (x,y),b=c").
std::vector<std::string_view> split_terms(std::string_view text) {
  std::vector<std::string_view> terms;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      terms.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return terms;
}

bool valid_key_or_value(std::string_view s, bool allow_empty) {
  if (s.empty()) return allow_empty;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '/';
  });
}

Result<Requirement> parse_set_term(std::string_view term, size_t op_pos, size_t op_len,
                                   Requirement::Op op) {
  Requirement r{std::string(trim(term.substr(0, op_pos))), op, {}};
  std::string_view rest = trim(term.substr(op_pos + op_len));
  if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')')
    return Error::bad_request("unable to parse requirement: expected '(' … ')' in \"" +
                              std::string(term) + "\"");
  rest = rest.substr(1, rest.size() - 2);
  size_t start = 0;
  for (size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == ',') {
      auto v = trim(rest.substr(start, i - start));
      if (!valid_key_or_value(v, true))
        return Error::bad_request("invalid label value \"" + std::string(v) + "\"");
      r.values.emplace_back(v);
      start = i + 1;
    }
  }
  return r;
}

Result<Requirement> parse_term(std::string_view term) {
  if (term.empty()) return Error::bad_request("found ',', expected: identifier");
  if (term.front() == '!') {
    auto key = trim(term.substr(1));
    if (!valid_key_or_value(key, false))
      return Error::bad_request("invalid label key \"" + std::string(key) + "\"");
    return Requirement{std::string(key), Requirement::Op::DoesNotExist, {}};
  }
  if (auto pos = term.find(" notin "); pos != term.npos)
    return parse_set_term(term, pos, 7, Requirement::Op::NotIn);
  if (auto pos = term.find(" in "); pos != term.npos)
    return parse_set_term(term, pos, 4, Requirement::Op::In);
  Requirement r;
  size_t pos, len;
  if ((pos = term.find("!=")) != term.npos) {
    r.op = Requirement::Op::NotEquals, len = 2;
  } else if ((pos = term.find("==")) != term.npos) {
    r.op = Requirement::Op::Equals, len = 2;
  } else if ((pos = term.find('=')) != term.npos) {
    r.op = Requirement::Op::Equals, len = 1;
  } else {
    if (!valid_key_or_value(term, false))
      return Error::bad_request("invalid label key \"" + std::string(term) + "\"");
    return Requirement{std::string(term), Requirement::Op::Exists, {}};
  }
  auto key = trim(term.substr(0, pos));
  auto value = trim(term.substr(pos + len));
  if (!valid_key_or_value(key, false))
    return Error::bad_request("invalid label key \"" + std::string(key) + "\"");
  if (!valid_key_or_value(value, true))
    return Error::bad_request("invalid label value \"" + std::string(value) + "\"");
  r.key = key;
  r.values = {std::string(value)};
  return r;
}

}  // namespace

bool Requirement::matches(const Labels& labels) const {
  auto it = labels.find(key);
  bool has = it != labels.end();
  auto in_values = [&] {
    return has && std::find(values.begin(), values.end(), it->second) != values.end();
  };
  switch (op) {
    case Op::Equals:
    case Op::In:
      return in_values();
    case Op::NotEquals:
    case Op::NotIn:
      return !in_values();
    case Op::Exists:
      return has;
    case Op::DoesNotExist:
      return !has;
  }
  return false;
}

Result<Selector> Selector::parse(std::string_view text) {
  text = trim(text);
  if (text.empty()) return Selector{};
  std::vector<Requirement> reqs;
  for (auto term : split_terms(text)) {
    auto r = parse_term(term);
    if (!r) return r.error();
    reqs.push_back(std::move(*r));
  }
  return Selector{std::move(reqs)};
}

Result<Selector> Selector::from_json(const nlohmann::json& sel) {
  std::vector<Requirement> reqs;
  if (!sel.is_object()) return Error::bad_request("selector must be an object");
  if (auto it = sel.find("matchLabels"); it != sel.end() && it->is_object()) {
    for (auto& [k, v] : it->items()) {
      if (!v.is_string()) return Error::bad_request("matchLabels values must be strings");
      reqs.push_back({k, Requirement::Op::Equals, {v.get<std::string>()}});
    }
  }
  if (auto it = sel.find("matchExpressions"); it != sel.end() && it->is_array()) {
    for (const auto& e : *it) {
      // A selector arrives in a client's object: a wrong shape is its mistake, never a throw.
      auto text = [&e](const char* key) {
        auto v = e.is_object() ? e.find(key) : e.end();
        return e.is_object() && v != e.end() && v->is_string() ? v->get<std::string>() : "";
      };
      if (!e.is_object()) return Error::bad_request("matchExpressions must be a list of objects");
      std::string op = text("operator");
      Requirement r{text("key"), Requirement::Op::In, {}};
      if (op == "In")
        r.op = Requirement::Op::In;
      else if (op == "NotIn")
        r.op = Requirement::Op::NotIn;
      else if (op == "Exists")
        r.op = Requirement::Op::Exists;
      else if (op == "DoesNotExist")
        r.op = Requirement::Op::DoesNotExist;
      else
        return Error::bad_request("\"" + op + "\" is not a valid selector operator");
      if (e.contains("values") && e["values"].is_array())
        for (const auto& v : e["values"])
          r.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      reqs.push_back(std::move(r));
    }
  }
  return Selector{std::move(reqs)};
}

bool Selector::matches(const Labels& labels) const {
  return std::all_of(reqs_.begin(), reqs_.end(),
                     [&](const Requirement& r) { return r.matches(labels); });
}

Labels labels_of(const nlohmann::json& object) {
  Labels labels;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return labels;
  auto it = meta->find("labels");
  if (it == meta->end() || !it->is_object()) return labels;
  for (auto& [k, v] : it->items())
    if (v.is_string()) labels[k] = v.get<std::string>();
  return labels;
}

}  // namespace kinda::api
