#include "api/yaml_reader.hpp"

#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "api/json_limits.hpp"
#include "api/manifest.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr const char* kStrTag = "tag:yaml.org,2002:str";

// A finished node: its JSON, what copying it again costs, how many containers deep it is, and
// for a scalar its text as written (the key it makes in a mapping).
struct Value {
  json value;
  size_t cost = 1;
  size_t depth = 0;
  std::optional<std::string> text;
};

class JsonBuilder : public YAML::EventHandler {
 public:
  // Without aliases a document costs at most about twice its length (a value or a byte of a
  // scalar per byte of text); the budget allows that plus generous reuse through aliases.
  explicit JsonBuilder(size_t text_size) : budget_(2 * text_size + 1000000) {}

  std::vector<json> documents;

  void OnDocumentStart(const YAML::Mark& mark) override {
    // Every document consumes input; one starting where the last did means the parser is stuck.
    if (last_start_ && *last_start_ == mark.pos)
      throw YAML::ParserException(mark, "did not find expected node content");
    last_start_ = mark.pos;
    anchors_.clear();  // anchors do not cross documents
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    charge(mark, 1);
    add(mark, Value{nullptr, 1, 0, std::nullopt}, anchor, true);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    charge(mark, 1 + text.size());
    json value = tag == "!" || tag == kStrTag ? json(text) : resolve_plain_scalar(text);
    add(mark, Value{std::move(value), 1 + text.size(), 0, text}, anchor, false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    // yaml-cpp names the anchor as soon as its node starts, so an alias of one not finished yet
    // is inside it.
    if (it == anchors_.end()) throw YAML::ParserException(mark, "anchor value contains itself");
    charge(mark, it->second.cost);
    if (open_.size() + it->second.depth > kMaxNestingDepth) too_deep(mark);
    add(mark, it->second, 0, false);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, json::array(), anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, json::object(), anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    json container;
    YAML::anchor_t anchor;
    YAML::Mark mark;
    size_t cost = 1;
    size_t depth = 0;  // of the deepest child
    std::optional<std::string> key;
  };

  void charge(const YAML::Mark& mark, size_t cost) {
    if (cost > budget_) throw YAML::ParserException(mark, "document contains excessive aliasing");
    budget_ -= cost;
  }

  [[noreturn]] static void too_deep(const YAML::Mark& mark) {
    throw YAML::ParserException(mark, "exceeded max depth of " + std::to_string(kMaxNestingDepth));
  }

  void open(const YAML::Mark& mark, json container, YAML::anchor_t anchor) {
    charge(mark, 1);
    if (open_.size() >= kMaxNestingDepth) too_deep(mark);
    open_.push_back(Open{std::move(container), anchor, mark, 1, 0, std::nullopt});
  }

  void close() {
    Open done = std::move(open_.back());
    open_.pop_back();
    if (done.key) throw YAML::ParserException(done.mark, "a mapping key has no value");
    add(done.mark, Value{std::move(done.container), done.cost, 1 + done.depth, std::nullopt},
        done.anchor, false);
  }

  void add(const YAML::Mark& mark, Value v, YAML::anchor_t anchor, bool null_node) {
    if (anchor) anchors_[anchor] = v;
    if (open_.empty()) {
      documents.push_back(std::move(v.value));
      return;
    }
    Open& parent = open_.back();
    parent.cost += v.cost;
    parent.depth = std::max(parent.depth, v.depth);
    if (parent.container.is_array()) {
      parent.container.push_back(std::move(v.value));
    } else if (!parent.key) {
      // A key is read as written (`1`, `true`), as a mapping's key is a string in Kubernetes.
      if (v.text)
        parent.key = *v.text;
      else if (null_node || v.value.is_null())
        parent.key = "null";
      else
        throw YAML::ParserException(mark, "mapping keys must be strings");
    } else {
      parent.container[*parent.key] = std::move(v.value);
      parent.key.reset();
    }
  }

  size_t budget_;
  std::optional<int> last_start_;  // YAML::Mark::pos
  std::map<YAML::anchor_t, Value> anchors_;
  std::vector<Open> open_;
};

}  // namespace

std::vector<json> read_yaml_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  JsonBuilder builder(text.size());
  while (parser.HandleNextDocument(builder)) {
  }
  return std::move(builder.documents);
}

}  // namespace kinda::api
