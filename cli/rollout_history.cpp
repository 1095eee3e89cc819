#include "cli/rollout_history.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include "api/object.hpp"
#include "api/patch_schema.hpp"
#include "api/strategic_merge.hpp"
#include "cli/printers/fields.hpp"
#include "cli/printers/printers.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;

constexpr const char* kChangeCause = "kubernetes.io/change-cause";

long long revision_of(const json& revision) {
  const json& number = revision.value("revision", json());
  return number.is_number() ? number.get<long long>() : 0;
}

bool controlled_by(const json& revision, const std::string& uid) {
  for (const auto& ref : array_at(revision, "metadata.ownerReferences"))
    if (ref.value("controller", false) && ref.value("uid", "") == uid) return true;
  return false;
}

Error not_in_history(long long revision) {
  return Error{
      0, "", "unable to find specified revision " + std::to_string(revision) + " in history", {}};
}

}  // namespace

std::vector<json> owned_revisions(const json& set, const json& revision_list) {
  std::map<long long, json> by_number;
  std::string uid = api::uid_of(set);
  for (const auto& revision : array_at(revision_list, "items"))
    if (!uid.empty() && controlled_by(revision, uid)) by_number[revision_of(revision)] = revision;
  std::vector<json> out;
  for (auto& [number, revision] : by_number) out.push_back(std::move(revision));
  return out;
}

std::string history_table(const std::vector<json>& revisions) {
  if (revisions.empty()) return "No rollout history found.";
  std::string text = "REVISION\tCHANGE-CAUSE\n";
  for (const auto& revision : revisions) {
    // The annotation key has dots, so it is looked up in the map rather than by dotted path.
    const json& annotations = field(revision, "metadata.annotations");
    std::string cause = annotations.is_object() ? annotations.value(kChangeCause, "") : "";
    text +=
        std::to_string(revision_of(revision)) + "\t" + (cause.empty() ? "<none>" : cause) + "\n";
  }
  return align_tabbed(text, 2);
}

Result<json> revision_numbered(const std::vector<json>& revisions, long long number) {
  for (const auto& revision : revisions)
    if (revision_of(revision) == number) return revision;
  return Error{0, "", "unable to find the specified revision", {}};
}

Result<json> rollback_target(const std::vector<json>& revisions, long long to_revision) {
  if (to_revision < 0) return not_in_history(to_revision);
  if (to_revision == 0) {
    if (revisions.size() <= 1) return Error{0, "", "no last revision to roll back to", {}};
    return revisions[revisions.size() - 2];
  }
  for (const auto& revision : revisions)
    if (revision_of(revision) == to_revision) return revision;
  return not_in_history(to_revision);
}

json template_patch(const json& set) {
  json tmpl = field(set, "spec.template");
  if (!tmpl.is_object()) tmpl = json::object();
  tmpl["$patch"] = "replace";
  return {{"spec", {{"template", tmpl}}}};
}

Result<json> set_at_revision(const json& set, const json& revision) {
  const json& data = revision.value("data", json());
  if (!data.is_object())
    return Error{0, "", "unable to parse history " + api::name_of(revision), {}};
  auto applied = api::strategic_merge(set, data, api::PatchSchema::for_kind("StatefulSet"));
  if (!applied) return Error{0, "", "unable to parse history " + api::name_of(revision), {}};
  return applied;
}

json restart_patch(const std::string& restarted_at) {
  return {{"spec",
           {{"template",
             {{"metadata",
               {{"annotations", {{"kubectl.kubernetes.io/restartedAt", restarted_at}}}}}}}}}};
}

std::string local_rfc3339(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  long offset = tm.tm_gmtoff;
  if (offset == 0) return std::string(text) + "Z";
  char zone[8];
  int minutes = static_cast<int>((offset < 0 ? -offset : offset) / 60 % (100 * 60));
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset < 0 ? '-' : '+', minutes / 60,
                minutes % 60);
  return std::string(text) + zone;
}

}  // namespace kinda::cli
