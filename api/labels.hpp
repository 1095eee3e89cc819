// Label selectors as Kubernetes defines them: the string form used by `-l` and `labelSelector=`
// (equality and set-based requirements) and the LabelSelector object of StatefulSets.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::api {

using Labels = std::map<std::string, std::string>;

struct Requirement {
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
  std::string key;
  Op op = Op::Equals;
  std::vector<std::string> values;

  bool matches(const Labels& labels) const;
};

class Selector {
 public:
  Selector() = default;  // matches everything
  explicit Selector(std::vector<Requirement> requirements) : reqs_(std::move(requirements)) {}

  // "app=web,tier!=db,env in (a,b),!legacy". Empty string = everything.
  static Result<Selector> parse(std::string_view text);
  // A metav1.LabelSelector object ({matchLabels, matchExpressions}).
  static Result<Selector> from_json(const nlohmann::json& label_selector);

  bool matches(const Labels& labels) const;
  bool empty() const { return reqs_.empty(); }

 private:
  std::vector<Requirement> reqs_;
};

// metadata.labels of an object as a map (absent = empty).
Labels labels_of(const nlohmann::json& object);

}  // namespace kinda::api
