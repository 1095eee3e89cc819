#include "controller/gc/owner_judgement.hpp"

#include "api/object.hpp"
#include "api/resources.hpp"

namespace kinda::controller {

Judgement judge(const nlohmann::json& owner_references, const Owners& owners) {
  Judgement j;
  bool dropped = false;
  for (const auto& ref : owner_references) {
    auto uid = api::string_at(ref, "uid");
    if (owners.waiting.count(uid)) {
      j.owner_waiting = true;
      dropped = true;
    } else if (owners.live.count(uid) || !api::resource_for_kind(api::string_at(ref, "apiVersion"),
                                                                 api::string_at(ref, "kind"))) {
      j.kept.push_back(ref);
    } else {
      dropped = true;
    }
  }
  if (j.kept.empty())
    j.verdict = Verdict::kDelete;
  else if (dropped)
    j.verdict = Verdict::kDropReferences;
  return j;
}

}  // namespace kinda::controller
