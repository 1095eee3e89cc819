#include "cli/printers/jsonpath.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace kinda::cli {
namespace {

using nlohmann::json;

struct Path;

// One [start:end:step] or [index] of a subscript.
struct Slice {
  bool range = false;
  std::optional<long long> start, end;
  long long step = 1;
};

// ?(@.a.b OP literal-or-path); no OP: the left path exists.
struct Filter {
  std::shared_ptr<Path> left, right;
  std::string op;
  json literal;
};

struct Step {
  enum Kind { Field, Wildcard, Recursive, Index, Filtered } kind = Field;
  std::vector<std::string> names;  // Field (several: a ['a','b'] union), Recursive
  std::vector<Slice> slices;       // Index
  Filter filter;                   // Filtered
};

struct Path {
  bool from_root = false;  // $: the template's data, also inside a range
  std::vector<Step> steps;
};

}  // namespace

struct JsonPath::Node {
  enum Kind { Text, Expression, Range } kind = Text;
  std::string text;                         // Text: printed as it is
  Path path;                                // Expression, Range
  std::vector<std::unique_ptr<Node>> body;  // Range: the nodes up to its {end}
};

namespace {

using Node = JsonPath::Node;

Error parse_error(std::string_view whole, const std::string& what) {
  return Error::bad_request("error parsing jsonpath " + std::string(whole) + ", " + what);
}

bool is_blank(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Reads the paths, literals and subscripts inside one action.
class ActionParser {
 public:
  ActionParser(std::string_view text, std::string_view whole) : s_(text), whole_(whole) {}

  bool done() {
    skip_space();
    return i_ >= s_.size();
  }
  Result<Path> path() {
    Path p;
    skip_space();
    if (i_ < s_.size() && (s_[i_] == '$' || s_[i_] == '@')) p.from_root = s_[i_++] == '$';
    while (i_ < s_.size() && !is_blank(s_[i_]) && s_[i_] != ')' && !is_operator_start()) {
      if (s_.substr(i_, 2) == "..") {
        i_ += 2;
        auto name = field_name();
        if (name.empty()) return error("a name after \"..\"");
        p.steps.push_back({Step::Recursive, {name}, {}, {}});
      } else if (s_[i_] == '.') {
        ++i_;
        if (i_ < s_.size() && s_[i_] == '*') {
          ++i_;
          p.steps.push_back({Step::Wildcard, {}, {}, {}});
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '[') continue;  // .[0] as [0]
        auto name = field_name();
        if (name.empty()) {
          if (i_ >= s_.size() || is_blank(s_[i_])) continue;  // "." alone: the current value
          return error("a field name");
        }
        p.steps.push_back({Step::Field, {name}, {}, {}});
      } else if (s_[i_] == '[') {
        auto step = subscript();
        if (!step) return step.error();
        p.steps.push_back(std::move(*step));
      } else {
        auto name = field_name();  // a relaxed path's first field, or a name after @/$
        if (name.empty())
          return parse_error(whole_,
                             std::string("unrecognized character in action: '") + s_[i_] + "'");
        p.steps.push_back({Step::Field, {name}, {}, {}});
      }
    }
    return p;
  }
  // A quoted string, with the escapes Go's strconv.Unquote reads in a template: \n \t \r \\ \".
  Result<std::string> quoted() {
    skip_space();
    const char quote = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != quote) {
      char c = s_[i_++];
      if (c == '\\' && i_ < s_.size()) {
        char e = s_[i_++];
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
      }
      out += c;
    }
    if (i_ >= s_.size()) return parse_error(whole_, "unterminated quoted string");
    ++i_;
    return out;
  }
  bool at_quote() {
    skip_space();
    return i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'');
  }
  size_t position() const { return i_; }

 private:
  void skip_space() {
    while (i_ < s_.size() && is_blank(s_[i_])) ++i_;
  }
  // Skips blanks, then takes `c` when it comes next.
  bool take(char c) {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool is_operator_start() const {
    char c = s_[i_];
    return c == '=' || c == '!' || c == '<' || c == '>';
  }
  Error error(const std::string& expected) const {
    return parse_error(whole_, "expected " + expected + " at position " + std::to_string(i_));
  }
  // A field name: up to the next '.', '[' or space; "\." is a dot inside the name.
  std::string field_name() {
    std::string name;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '.') {
        name += '.';
        i_ += 2;
        continue;
      }
      if (c == '.' || c == '[' || c == ']' || c == ')' || is_blank(c) || is_operator_start()) break;
      name += c;
      ++i_;
    }
    return name;
  }
  Result<Step> subscript() {
    ++i_;  // '['
    skip_space();
    if (i_ < s_.size() && s_[i_] == '?') return filter();
    Step step;
    if (at_quote()) {
      step.kind = Step::Field;
      do {
        auto name = quoted();
        if (!name) return name.error();
        step.names.push_back(*name);
      } while (take(','));
      return close_bracket(std::move(step));
    }
    if (i_ < s_.size() && s_[i_] == '*') {
      ++i_;
      step.kind = Step::Wildcard;
      return close_bracket(std::move(step));
    }
    step.kind = Step::Index;
    while (true) {
      Slice slice;
      std::optional<long long>* part[] = {&slice.start, &slice.end};
      int colons = 0;
      while (true) {
        skip_space();
        auto number = integer();
        if (colons < 2 && number) *part[colons] = *number;
        if (colons == 2 && number) slice.step = *number;
        if (i_ < s_.size() && s_[i_] == ':' && colons < 2) {
          ++i_;
          ++colons;
          slice.range = true;
          continue;
        }
        if (!slice.range && !number) return error("an index");
        break;
      }
      if (slice.step <= 0) return parse_error(whole_, "step must be greater than 0");
      step.slices.push_back(slice);
      if (!take(',')) break;
    }
    return close_bracket(std::move(step));
  }
  std::optional<long long> integer() {
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (i_ == start || (i_ == start + 1 && s_[start] == '-')) {
      i_ = start;
      return std::nullopt;
    }
    return std::stoll(std::string(s_.substr(start, i_ - start)));
  }
  Result<Step> close_bracket(Step step) {
    skip_space();
    if (i_ >= s_.size() || s_[i_] != ']') return error("\"]\"");
    ++i_;
    return step;
  }
  // [?(@.status.phase == "Running")]
  Result<Step> filter() {
    ++i_;  // '?'
    skip_space();
    if (i_ >= s_.size() || s_[i_] != '(') return error("\"(\" after \"?\"");
    ++i_;
    Step step;
    step.kind = Step::Filtered;
    auto left = path();
    if (!left) return left.error();
    step.filter.left = std::make_shared<Path>(std::move(*left));
    skip_space();
    std::string op;
    while (i_ < s_.size() && is_operator_start()) op += s_[i_++];
    if (!op.empty()) {
      static const std::vector<std::string> kOperators = {"==", "!=", "<", ">", "<=", ">="};
      if (std::find(kOperators.begin(), kOperators.end(), op) == kOperators.end())
        return parse_error(whole_, "unrecognized filter operator " + op);
      step.filter.op = op;
      skip_space();
      if (at_quote()) {
        auto text = quoted();
        if (!text) return text.error();
        step.filter.literal = *text;
      } else if (auto number = literal_number()) {
        step.filter.literal = *number;
      } else if (s_.substr(i_, 4) == "true" || s_.substr(i_, 5) == "false") {
        step.filter.literal = s_[i_] == 't';
        i_ += s_[i_] == 't' ? 4 : 5;
      } else {
        auto right = path();
        if (!right) return right.error();
        step.filter.right = std::make_shared<Path>(std::move(*right));
      }
    }
    skip_space();
    if (i_ >= s_.size() || s_[i_] != ')') return error("\")\"");
    ++i_;
    return close_bracket(std::move(step));
  }
  std::optional<json> literal_number() {
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.'))
      ++i_;
    if (i_ == start || (i_ == start + 1 && s_[start] == '-')) {
      i_ = start;
      return std::nullopt;
    }
    json value = json::parse(s_.substr(start, i_ - start), nullptr, false);
    if (value.is_discarded()) {
      i_ = start;
      return std::nullopt;
    }
    return value;
  }

  std::string_view s_, whole_;
  size_t i_ = 0;
};

// Splits the template into text and actions, nesting each {range}…{end}.
Result<std::vector<std::unique_ptr<Node>>> parse_template(std::string_view whole) {
  std::vector<std::unique_ptr<Node>> top;
  std::vector<std::vector<std::unique_ptr<Node>>*> open = {&top};
  size_t i = 0;
  while (i < whole.size()) {
    size_t brace = whole.find('{', i);
    if (brace != i) {
      auto text = std::make_unique<Node>();
      text->text =
          std::string(whole.substr(i, brace == std::string_view::npos ? brace : brace - i));
      open.back()->push_back(std::move(text));
      if (brace == std::string_view::npos) break;
    }
    // The action ends at the first '}' outside quotes.
    size_t j = brace + 1;
    char quote = 0;
    for (; j < whole.size(); ++j) {
      if (quote) {
        if (whole[j] == '\\')
          ++j;
        else if (whole[j] == quote)
          quote = 0;
      } else if (whole[j] == '"' || whole[j] == '\'') {
        quote = whole[j];
      } else if (whole[j] == '}') {
        break;
      }
    }
    if (j >= whole.size()) return parse_error(whole, "unclosed action");
    std::string_view action = trim(whole.substr(brace + 1, j - brace - 1));
    i = j + 1;
    if (action == "end") {
      if (open.size() == 1) return parse_error(whole, "not in range, nothing to end");
      open.pop_back();
      continue;
    }
    auto node = std::make_unique<Node>();
    ActionParser parser(action, whole);
    // "range .items[*]", also written "range.items[*]".
    if (action.rfind("range", 0) == 0 &&
        (action.size() == 5 || is_blank(action[5]) || action[5] == '.' || action[5] == '[')) {
      ActionParser range(action.substr(5), whole);
      auto path = range.path();
      if (!path) return path.error();
      if (!range.done()) return parse_error(whole, "unexpected text in range");
      node->kind = Node::Range;
      node->path = std::move(*path);
      auto* body = &node->body;
      open.back()->push_back(std::move(node));
      open.push_back(body);
      continue;
    }
    if (parser.at_quote()) {
      auto text = parser.quoted();
      if (!text) return text.error();
      node->text = std::move(*text);
    } else {
      auto path = parser.path();
      if (!path) return path.error();
      node->kind = Node::Expression;
      node->path = std::move(*path);
    }
    if (!parser.done()) return parse_error(whole, "unexpected text in action");
    open.back()->push_back(std::move(node));
  }
  if (open.size() != 1) return parse_error(whole, "unclosed range");
  return top;
}

// ---- evaluation ----

using Values = std::vector<const json*>;

Values evaluate(const Path& path, const json& root, const json& current);

void collect_named(const json& value, const std::string& name, Values& out) {
  if (value.is_object()) {
    if (auto it = value.find(name); it != value.end()) out.push_back(&*it);
    for (const auto& child : value) collect_named(child, name, out);
  } else if (value.is_array()) {
    for (const auto& child : value) collect_named(child, name, out);
  }
}

void add_slice(const json& array, const Slice& slice, Values& out) {
  const long long size = static_cast<long long>(array.size());
  if (!slice.range) {
    long long index = slice.start.value_or(0);
    if (index < 0) index += size;
    if (index >= 0 && index < size) out.push_back(&array[static_cast<size_t>(index)]);
    return;
  }
  auto clamp = [size](long long n) { return std::clamp(n < 0 ? n + size : n, 0LL, size); };
  const long long from = clamp(slice.start.value_or(0));
  const long long to = clamp(slice.end.value_or(size));
  for (long long n = from; n < to; n += slice.step) out.push_back(&array[static_cast<size_t>(n)]);
}

bool compare(const json& left, const std::string& op, const json& right) {
  if (op == "==") return left == right;  // nlohmann compares 2 and 2.0 as numbers
  if (op == "!=") return !compare(left, "==", right);
  int order = 0;
  if (left.is_number() && right.is_number()) {
    double a = left.get<double>(), b = right.get<double>();
    order = a < b ? -1 : a > b ? 1 : 0;
  } else if (left.is_string() && right.is_string()) {
    order = left.get<std::string>().compare(right.get<std::string>());
  } else {
    return false;
  }
  if (op == "<") return order < 0;
  if (op == ">") return order > 0;
  if (op == "<=") return order <= 0;
  return order >= 0;
}

bool passes(const Filter& filter, const json& root, const json& element) {
  Values left = evaluate(*filter.left, root, element);
  if (filter.op.empty()) return !left.empty();
  if (left.empty()) return false;
  if (filter.right) {
    Values right = evaluate(*filter.right, root, element);
    return !right.empty() && compare(*left.front(), filter.op, *right.front());
  }
  return compare(*left.front(), filter.op, filter.literal);
}

Values apply(const Step& step, const json& root, const Values& in) {
  Values out;
  for (const json* value : in) {
    switch (step.kind) {
      case Step::Field:
        if (value->is_object())
          for (const auto& name : step.names)
            if (auto it = value->find(name); it != value->end()) out.push_back(&*it);
        break;
      case Step::Wildcard:
        if (value->is_object() || value->is_array())
          for (const auto& child : *value) out.push_back(&child);
        break;
      case Step::Recursive:
        collect_named(*value, step.names.front(), out);
        break;
      case Step::Index:
        if (value->is_array())
          for (const auto& slice : step.slices) add_slice(*value, slice, out);
        break;
      case Step::Filtered:
        if (value->is_array()) {
          for (const auto& element : *value)
            if (passes(step.filter, root, element)) out.push_back(&element);
        } else if (value->is_object() && passes(step.filter, root, *value)) {
          out.push_back(value);
        }
        break;
    }
  }
  return out;
}

Values evaluate(const Path& path, const json& root, const json& current) {
  Values values = {path.from_root ? &root : &current};
  for (const auto& step : path.steps) values = apply(step, root, values);
  return values;
}

void print_nodes(const std::vector<std::unique_ptr<Node>>& nodes, const json& root,
                 const json& current, std::string& out) {
  for (const auto& node : nodes) {
    if (node->kind == Node::Text) {
      out += node->text;
    } else if (node->kind == Node::Expression) {
      bool first = true;
      for (const json* value : evaluate(node->path, root, current)) {
        if (!first) out += ' ';
        out += jsonpath_text(*value);
        first = false;
      }
    } else {
      Values items = evaluate(node->path, root, current);
      // {range .items} over a list ranges over its elements, as {range .items[*]} does.
      if (items.size() == 1 && items.front()->is_array()) {
        Values elements;
        for (const auto& element : *items.front()) elements.push_back(&element);
        items = std::move(elements);
      }
      for (const json* item : items) print_nodes(node->body, root, *item, out);
    }
  }
}

}  // namespace

JsonPath::JsonPath() = default;
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;
JsonPath::~JsonPath() = default;

Result<JsonPath> JsonPath::parse(std::string_view text) {
  auto nodes = parse_template(text);
  if (!nodes) return nodes.error();
  JsonPath path;
  path.nodes_ = std::move(*nodes);
  return path;
}

Result<JsonPath> JsonPath::parse_relaxed(std::string_view expression) {
  // kubectl's RelaxedJSONPathExpression: {.a.b}, .a.b and a.b mean the same.
  std::string_view e = trim(expression);
  if (e.size() >= 2 && e.front() == '{' && e.back() == '}') e = trim(e.substr(1, e.size() - 2));
  if (e.empty())
    return Error::bad_request("error parsing jsonpath " + std::string(expression) +
                              ", an empty expression");
  std::string wrapped =
      "{" + std::string(e.front() == '.' || e.front() == '[' ? "" : ".") + std::string(e) + "}";
  auto path = parse(wrapped);
  if (!path) return path.error();
  if (path->nodes_.size() != 1 || path->nodes_.front()->kind != Node::Expression)
    return Error::bad_request("error parsing jsonpath " + std::string(expression) +
                              ", one expression expected");
  return path;
}

Result<std::string> JsonPath::print(const json& data) const {
  std::string out;
  print_nodes(nodes_, data, data, out);
  return out;
}

Result<std::vector<json>> JsonPath::values(const json& data) const {
  std::vector<json> out;
  for (const auto& node : nodes_)
    if (node->kind == Node::Expression)
      for (const json* value : evaluate(node->path, data, data)) out.push_back(*value);
  return out;
}

std::string jsonpath_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace kinda::cli
