// A StatefulSet's revision history as Kubernetes keeps it (pkg/controller/history): each distinct
// pod template is a ControllerRevision named `<set>-<hash>`, numbered in the order templates were
// applied. Going back to an earlier template reuses its revision (renumbered as the newest), and
// revisions no pod uses are trimmed beyond revisionHistoryLimit. Pure functions; the controller
// does the reads and writes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinda::controller {

using Object = nlohmann::json;

// "<set>-<hash>" of the set's template; collision_count > 0 perturbs the hash after a clash.
std::string revision_name(const Object& set, long long collision_count);
// The revision's `data`: a strategic merge patch that replaces the set's template.
Object revision_data(const Object& set);
// A new ControllerRevision for the set's current template.
Object new_revision(const Object& set, const std::string& name, long long number);
// The pod template a revision holds.
Object revision_template(const Object& revision);
// Whether a revision holds exactly the set's current template.
bool holds_template(const Object& revision, const Object& set);
// The set as it was at a revision: the same spec with the revision's template.
Object set_at_revision(const Object& set, const Object& revision);

// Revisions to delete, oldest first: those beyond `limit` among the ones that are neither the
// current nor the update revision nor named by a live pod's controller-revision-hash label.
std::vector<std::string> revisions_to_trim(const std::vector<Object>& revisions,
                                           const std::vector<std::string>& in_use, long long limit);

}  // namespace kinda::controller
