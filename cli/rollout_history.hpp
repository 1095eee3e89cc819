// The StatefulSet side of kubectl's rollout history, undo and restart as pure functions over a set
// and its ControllerRevisions (apps/v1; `data` holds a strategic merge patch that restores the
// set's pod template), with kubectl's messages.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::cli {

// The revisions in `revision_list` (a ControllerRevisionList) that `set` controls, by revision
// number; of two with the same number the later one in the list wins, as in kubectl.
std::vector<nlohmann::json> owned_revisions(const nlohmann::json& set,
                                            const nlohmann::json& revision_list);

// kubectl's overview: "REVISION  CHANGE-CAUSE" rows (change cause from the revision's
// kubernetes.io/change-cause annotation, else <none>), or "No rollout history found.".
std::string history_table(const std::vector<nlohmann::json>& revisions);

// The revision numbered `number`, or the error kubectl prints for `history --revision`.
Result<nlohmann::json> revision_numbered(const std::vector<nlohmann::json>& revisions,
                                         long long number);

// The revision `undo --to-revision` goes back to: that number, or with 0 the newest but one.
Result<nlohmann::json> rollback_target(const std::vector<nlohmann::json>& revisions,
                                       long long to_revision);

// What a ControllerRevision of the set's current template holds as data:
// {"spec":{"template":{…,"$patch":"replace"}}}.
nlohmann::json template_patch(const nlohmann::json& set);

// The set with `revision`'s data applied: its template as of that revision.
Result<nlohmann::json> set_at_revision(const nlohmann::json& set, const nlohmann::json& revision);

// `rollout restart`: a strategic merge patch stamping the template with the restart time.
nlohmann::json restart_patch(const std::string& restarted_at);

// Go's time.RFC3339 in local time, as kubectl stamps restartedAt: "2024-05-01T10:00:00+02:00",
// "…Z" in UTC.
std::string local_rfc3339(std::chrono::system_clock::time_point time);

}  // namespace kinda::cli
