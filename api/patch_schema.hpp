// How a strategic merge patch treats each list of the kinds kinda serves: Kubernetes' Go struct
// tags (`patchStrategy:"merge"`, `patchMergeKey:"name"`) carried over as a table. A list that is
// not in the table is atomic: a patch replaces it whole, as in Kubernetes.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace kinda::api {

struct ListStrategy {
  bool merge = false;     // patchStrategy merge; false: replace the whole list
  std::string merge_key;  // empty for merged lists of scalars (finalizers)
};

class PatchSchema {
 public:
  // The schema of a kind ("StatefulSet"); kinds kinda does not know get ObjectMeta rules only.
  static const PatchSchema& for_kind(std::string_view kind);

  // `path` names a field by its keys from the object's root with list elements left out:
  // "spec.template.spec.containers.env" is the env list of any container of a set's template.
  ListStrategy list_strategy(const std::string& path) const;

  void add(const std::string& path, ListStrategy strategy) { lists_[path] = std::move(strategy); }

 private:
  std::map<std::string, ListStrategy> lists_;
};

}  // namespace kinda::api
