// The garbage collector's decision for one dependent, from its ownerReferences and what is known
// of the owners they name (Kubernetes' attemptToDeleteItem): pure, so tests need no store.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace kinda::controller {

// What the objects of a namespace (and the cluster-scoped ones) say about owners, by uid.
struct Owners {
  std::set<std::string> live;     // present and not being deleted in the foreground
  std::set<std::string> waiting;  // deleted in the foreground: waiting for their dependents
};

enum class Verdict {
  kKeep,            // a live owner, and no reference to drop
  kDropReferences,  // a live owner beside gone or waiting ones: forget those
  kDelete,          // every owner gone or waiting
};

struct Judgement {
  Verdict verdict = Verdict::kKeep;
  bool owner_waiting = false;  // an owner waits: the dependent goes in the foreground too
  nlohmann::json kept = nlohmann::json::array();  // the references to keep (kDropReferences)
};

// A reference to a kind kinda does not serve counts as live: kinda cannot tell whether that
// owner exists, and must lose nothing.
Judgement judge(const nlohmann::json& owner_references, const Owners& owners);

}  // namespace kinda::controller
