#include "cli/drain_plan.hpp"

#include <algorithm>
#include <utility>

#include "api/object.hpp"
#include "cli/printers/fields.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

// kubectl's filter messages (k8s.io/kubectl/pkg/drain/filters.go).
constexpr const char* kDaemonSetFatal =
    "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
constexpr const char* kDaemonSetWarning = "ignoring DaemonSet-managed Pods";
constexpr const char* kLocalStorageFatal =
    "Pods with local storage (use --delete-emptydir-data to override)";
constexpr const char* kUnmanagedFatal = "Pods that declare no controller (use --force to override)";
constexpr const char* kUnmanagedWarning = "deleting Pods that declare no controller";

enum class Verdict { Delete, Skip, Warn, WarnAndDelete, Error };

struct Status {
  Verdict verdict = Verdict::Delete;
  std::string message;
  bool deletes() const { return verdict == Verdict::Delete || verdict == Verdict::WarnAndDelete; }
};

// Messages grouped in the order they first appear, each with the pods it names.
using Groups = std::vector<std::pair<std::string, std::vector<std::string>>>;

void add_to(Groups& groups, const std::string& message, const std::string& pod) {
  auto it =
      std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == message; });
  if (it == groups.end()) it = groups.insert(groups.end(), {message, {}});
  it->second.push_back(pod);
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

const json* controller_of(const json& pod) {
  for (const auto& ref : array_at(pod, "metadata.ownerReferences"))
    if (ref.value("controller", false)) return &ref;
  return nullptr;
}

bool has_local_storage(const json& pod) {
  for (const auto& v : array_at(pod, "spec.volumes"))
    if (v.contains("emptyDir")) return true;
  return false;
}

// The filters in kubectl's order; the first that does not delete decides.
Status judge(const json& pod, const DrainFlags& flags) {
  const json* controller = controller_of(pod);
  if (controller && controller->value("kind", "") == "DaemonSet" && !api::pod_finished(pod))
    return flags.ignore_daemonsets ? Status{Verdict::Warn, kDaemonSetWarning}
                                   : Status{Verdict::Error, kDaemonSetFatal};
  const json& annotations = field(pod, "metadata.annotations");
  if (annotations.is_object() && annotations.contains("kubernetes.io/config.mirror"))
    return {Verdict::Skip, ""};
  if (has_local_storage(pod) && !api::pod_finished(pod) && !flags.delete_emptydir_data)
    return {Verdict::Error, kLocalStorageFatal};
  // kubectl's local-storage warning is always replaced by the verdict of this last filter.
  if (!controller && !api::pod_finished(pod))
    return flags.force ? Status{Verdict::WarnAndDelete, kUnmanagedWarning}
                       : Status{Verdict::Error, kUnmanagedFatal};
  return {};
}

}  // namespace

DrainPlan plan_drain(const std::vector<json>& pods_on_node, const DrainFlags& flags) {
  DrainPlan plan;
  Groups warnings, errors;
  for (const auto& pod : pods_on_node) {
    auto status = judge(pod, flags);
    auto ref = api::namespace_of(pod) + "/" + api::name_of(pod);
    if (status.verdict == Verdict::Error) add_to(errors, status.message, ref);
    if (status.verdict == Verdict::Warn || status.verdict == Verdict::WarnAndDelete)
      add_to(warnings, status.message, ref);
    if (status.deletes()) plan.evict.push_back(pod);
  }
  for (const auto& [message, pods] : warnings)
    plan.warnings.push_back(message + ": " + joined(pods, ", "));
  for (const auto& [message, pods] : errors)
    plan.errors.push_back("cannot delete " + message + ": " + joined(pods, ", "));
  return plan;
}

std::string aggregate(const std::vector<std::string>& errors) {
  if (errors.size() == 1) return errors[0];
  return "[" + joined(errors, ", ") + "]";
}

}  // namespace kinda::cli
