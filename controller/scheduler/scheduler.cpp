#include "controller/scheduler/scheduler.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "api/object.hpp"
#include "controller/node/node_status.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;

const json& array_or_empty(const json* value) {
  static const json kEmpty = json::array();
  return value && value->is_array() ? *value : kEmpty;
}

// core/v1 Toleration.ToleratesTaint.
bool tolerates(const json& toleration, const json& taint) {
  auto effect = api::string_at(toleration, "effect");
  if (!effect.empty() && effect != api::string_at(taint, "effect")) return false;
  auto key = api::string_at(toleration, "key");
  if (!key.empty() && key != api::string_at(taint, "key")) return false;
  auto op = api::string_at(toleration, "operator", "Equal");
  if (op == "Exists") return true;
  return op == "Equal" && api::string_at(toleration, "value") == api::string_at(taint, "value");
}

bool pod_tolerates(const json& pod, const json& taint) {
  const auto& tolerations = array_or_empty(api::find_path(pod, "spec.tolerations"));
  return std::any_of(tolerations.begin(), tolerations.end(),
                     [&](const json& t) { return tolerates(t, taint); });
}

bool selector_matches(const json& pod, const json& node) {
  const auto* selector = api::find_path(pod, "spec.nodeSelector");
  if (!selector || !selector->is_object()) return true;
  const auto* labels = api::find_path(node, "metadata.labels");
  for (const auto& [key, value] : selector->items()) {
    if (!labels || !labels->is_object() || !labels->contains(key)) return false;
    if ((*labels)[key] != value) return false;
  }
  return true;
}

bool requirement_matches(const json& requirement, const json* labels, const std::string& name,
                         bool field) {
  auto key = api::string_at(requirement, "key");
  auto op = api::string_at(requirement, "operator");
  std::string value;
  bool present = false;
  if (field) {
    present = key == "metadata.name";
    value = name;
  } else if (labels && labels->is_object() && labels->contains(key) && (*labels)[key].is_string()) {
    present = true;
    value = (*labels)[key].get<std::string>();
  }
  const auto& values = array_or_empty(api::find_path(requirement, "values"));
  bool listed = std::any_of(values.begin(), values.end(),
                            [&](const json& v) { return v.is_string() && v == value; });
  if (op == "In") return present && listed;
  if (op == "NotIn") return !present || !listed;
  if (op == "Exists") return present;
  if (op == "DoesNotExist") return !present;
  if (op == "Gt" || op == "Lt") {
    if (!present || values.empty() || !values[0].is_string()) return false;
    try {
      long long have = std::stoll(value), want = std::stoll(values[0].get<std::string>());
      return op == "Gt" ? have > want : have < want;
    } catch (...) {
      return false;
    }
  }
  return false;
}

// requiredDuringSchedulingIgnoredDuringExecution: any one term whose requirements all hold.
bool required_affinity_matches(const json& pod, const json& node) {
  const auto* terms =
      api::find_path(pod,
                     "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                     "nodeSelectorTerms");
  if (!terms || !terms->is_array()) return true;
  const auto* labels = api::find_path(node, "metadata.labels");
  const auto name = api::name_of(node);
  for (const auto& term : *terms) {
    bool all = true;
    const auto& expressions = array_or_empty(api::find_path(term, "matchExpressions"));
    const auto& fields = array_or_empty(api::find_path(term, "matchFields"));
    if (expressions.empty() && fields.empty()) continue;  // an empty term matches nothing
    for (const auto& e : expressions) all = all && requirement_matches(e, labels, name, false);
    for (const auto& f : fields) all = all && requirement_matches(f, labels, name, true);
    if (all) return true;
  }
  return false;
}

Error unschedulable(const std::string& message) {
  return Error{422, "Unschedulable", message, {}};
}

// FitError.Error(): "0/N nodes are available: <count reason, sorted>." plus the preemption note
// the default scheduler appends when evicting lower-priority pods could not help.
std::string fit_error(size_t node_count, const std::map<std::string, int>& reasons) {
  std::vector<std::string> parts;
  for (const auto& [reason, count] : reasons) parts.push_back(std::to_string(count) + " " + reason);
  std::sort(parts.begin(), parts.end());
  std::string total = std::to_string(node_count);
  std::string message = "0/" + total + " nodes are available: ";
  for (size_t i = 0; i < parts.size(); ++i) message += (i ? ", " : "") + parts[i];
  return message + ". preemption: 0/" + total + " nodes are available: " + total +
         " Preemption is not helpful for scheduling.";
}

}  // namespace

bool pod_tolerates_taint(const json& pod, const json& taint) {
  return pod_tolerates(pod, taint);
}

bool node_selection_matches(const json& pod, const json& node) {
  return selector_matches(pod, node) && required_affinity_matches(pod, node);
}

bool node_name_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t i_end = i, j_end = j;
      while (i_end < a.size() && digit(a[i_end])) ++i_end;
      while (j_end < b.size() && digit(b[j_end])) ++j_end;
      auto x = a.substr(i, i_end - i), y = b.substr(j, j_end - j);
      x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i_end, j = j_end;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j || (a.size() - i == b.size() - j && a < b);
}

std::string node_filter_reason(const json& pod, const json& node) {
  // In the default scheduler's plugin order; the first plugin that rejects a node names it.
  if (api::bool_at(node, "spec.unschedulable") &&
      !pod_tolerates(pod, {{"key", kUnschedulableTaint}, {"effect", "NoSchedule"}}))
    return "node(s) were unschedulable";
  for (const auto& taint : array_or_empty(api::find_path(node, "spec.taints"))) {
    auto effect = api::string_at(taint, "effect");
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    if (!pod_tolerates(pod, taint))
      return "node(s) had untolerated taint {" + api::string_at(taint, "key") + ": " +
             api::string_at(taint, "value") + "}";
  }
  if (!node_ready(node)) return "node(s) were not ready";
  if (!node_selection_matches(pod, node))
    return "node(s) didn't match Pod's node affinity/selector";
  return "";
}

NodeLoad node_load(const json& pod, const std::vector<json>& pods) {
  const auto owner = api::controller_uid(pod);
  NodeLoad load;
  for (const auto& other : pods) {
    auto node = api::string_at(other, "spec.nodeName");
    if (node.empty() || api::pod_finished(other) || api::uid_of(other) == api::uid_of(pod))
      continue;
    ++load.pods[node];
    if (!owner.empty() && api::controller_uid(other) == owner) ++load.of_controller[node];
  }
  return load;
}

Result<std::string> schedule_pod(const json& pod, const std::vector<json>& nodes,
                                 const std::vector<json>& pods) {
  return schedule_with_load(pod, nodes, node_load(pod, pods));
}

Result<std::string> schedule_with_load(const json& pod, const std::vector<json>& nodes,
                                       const NodeLoad& load) {
  auto bound = api::string_at(pod, "spec.nodeName");
  if (!bound.empty()) {
    auto it = std::find_if(nodes.begin(), nodes.end(),
                           [&](const json& n) { return api::name_of(n) == bound; });
    if (it == nodes.end()) return unschedulable("node \"" + bound + "\" not found");
    if (!node_ready(*it)) return unschedulable("node \"" + bound + "\" is not ready");
    return bound;
  }
  if (nodes.empty()) return unschedulable("no nodes available to schedule pods");

  auto count = [](const std::map<std::string, int>& counts, const std::string& node) {
    auto it = counts.find(node);
    return it == counts.end() ? 0 : it->second;
  };
  std::map<std::string, int> reasons;
  const json* best = nullptr;
  auto rank = [&](const json& n) {
    auto name = api::name_of(n);
    return std::make_tuple(count(load.of_controller, name), count(load.pods, name));
  };
  for (const auto& node : nodes) {
    auto reason = node_filter_reason(pod, node);
    auto name = api::name_of(node);
    if (reason.empty() && count(load.pods, name) >= std::stoi(kMaxPods)) reason = "Too many pods";
    if (!reason.empty()) {
      ++reasons[reason];
      continue;
    }
    if (!best || rank(node) < rank(*best) ||
        (rank(node) == rank(*best) && node_name_less(name, api::name_of(*best))))
      best = &node;
  }
  if (!best) return unschedulable(fit_error(nodes.size(), reasons));
  return api::name_of(*best);
}

}  // namespace kinda::controller
