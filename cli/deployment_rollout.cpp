#include "cli/deployment_rollout.hpp"

#include <algorithm>
#include <map>

#include "api/object.hpp"
#include "cli/printers/fields.hpp"
#include "cli/printers/printers.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

std::string annotation_of(const json& o, const std::string& key) {
  const json& annotations = field(o, "metadata.annotations");
  if (!annotations.is_object()) return "";
  auto it = annotations.find(key);
  return it != annotations.end() && it->is_string() ? it->get<std::string>() : "";
}

// Annotations kubectl's rollback does not carry from the set to the deployment.
bool kept_on_rollback(const std::string& key) {
  return key != "kubectl.kubernetes.io/last-applied-configuration" &&
         key != "deployment.kubernetes.io/revision" &&
         key != "deployment.kubernetes.io/revision-history" &&
         key != "deployment.kubernetes.io/desired-replicas" &&
         key != "deployment.kubernetes.io/max-replicas" &&
         key != "deprecated.deployment.rollback.to";
}

}  // namespace

Result<RolloutProgress> deployment_rollout_status(const json& d) {
  const std::string name = api::name_of(d);
  if (api::int_at(d, "metadata.generation") > api::int_at(d, "status.observedGeneration"))
    return RolloutProgress{"Waiting for deployment spec update to be observed...\n", false};
  for (const auto& c : array_at(d, "status.conditions"))
    if (c.value("type", "") == "Progressing" && c.value("reason", "") == "ProgressDeadlineExceeded")
      return Error{0, "", "deployment \"" + name + "\" exceeded its progress deadline", {}};
  const long long updated = api::int_at(d, "status.updatedReplicas");
  const long long replicas_now = api::int_at(d, "status.replicas");
  const long long available = api::int_at(d, "status.availableReplicas");
  const auto* wanted = api::find_path(d, "spec.replicas");
  const std::string prefix = "Waiting for deployment \"" + name + "\" rollout to finish: ";
  if (wanted && wanted->is_number() && updated < wanted->get<long long>())
    return RolloutProgress{prefix + std::to_string(updated) + " out of " +
                               std::to_string(wanted->get<long long>()) +
                               " new replicas have been updated...\n",
                           false};
  if (replicas_now > updated)
    return RolloutProgress{prefix + std::to_string(replicas_now - updated) +
                               " old replicas are pending termination...\n",
                           false};
  if (available < updated)
    return RolloutProgress{prefix + std::to_string(available) + " of " + std::to_string(updated) +
                               " updated replicas are available...\n",
                           false};
  return RolloutProgress{"deployment \"" + name + "\" successfully rolled out\n", true};
}

long long replicaset_revision(const json& rs) {
  try {
    return std::stoll(annotation_of(rs, "deployment.kubernetes.io/revision"));
  } catch (...) {
    return 0;
  }
}

std::vector<json> deployment_revisions(const json& d, const json& rs_list) {
  std::map<long long, json> by_number;
  const std::string uid = api::uid_of(d);
  for (const auto& rs : array_at(rs_list, "items"))
    if (!uid.empty() && api::controller_uid(rs) == uid) by_number[replicaset_revision(rs)] = rs;
  std::vector<json> out;
  for (auto& [number, rs] : by_number) out.push_back(std::move(rs));
  return out;
}

std::string deployment_history_table(const std::vector<json>& revisions) {
  if (revisions.empty()) return "No rollout history found.";
  std::string text = "REVISION\tCHANGE-CAUSE\n";
  for (const auto& rs : revisions) {
    std::string cause = annotation_of(rs, "kubernetes.io/change-cause");
    text +=
        std::to_string(replicaset_revision(rs)) + "\t" + (cause.empty() ? "<none>" : cause) + "\n";
  }
  return align_tabbed(text, 2);
}

json template_of_revision(const json& rs) {
  json tmpl = field(rs, "spec.template");
  if (!tmpl.is_object()) return json::object();
  if (tmpl.contains("metadata") && tmpl["metadata"].contains("labels") &&
      tmpl["metadata"]["labels"].is_object())
    tmpl["metadata"]["labels"].erase("pod-template-hash");
  return tmpl;
}

Result<json> deployment_rollback_target(const std::vector<json>& revisions, long long to_revision) {
  if (to_revision < 0)
    return Error{0,
                 "",
                 "unable to find specified revision " + std::to_string(to_revision) + " in history",
                 {}};
  if (to_revision == 0) {
    if (revisions.size() <= 1) return Error{0, "", "no last revision to roll back to", {}};
    return revisions[revisions.size() - 2];
  }
  for (const auto& rs : revisions)
    if (replicaset_revision(rs) == to_revision) return rs;
  return Error{0,
               "",
               "unable to find specified revision " + std::to_string(to_revision) + " in history",
               {}};
}

json deployment_rollback_patch(const json& d, const json& rs) {
  // The deployment keeps its own values of the keys not carried over; the rest come from the set.
  json annotations = json::object();
  const json& own = field(d, "metadata.annotations");
  if (own.is_object())
    for (const auto& [k, v] : own.items())
      if (!kept_on_rollback(k)) annotations[k] = v;
  const json& from_rs = field(rs, "metadata.annotations");
  if (from_rs.is_object())
    for (const auto& [k, v] : from_rs.items())
      if (kept_on_rollback(k)) annotations[k] = v;
  return json::array(
      {{{"op", "replace"}, {"path", "/spec/template"}, {"value", template_of_revision(rs)}},
       {{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", annotations}}});
}

}  // namespace kinda::cli
