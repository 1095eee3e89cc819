// The fields of the kinds kinda serves, as Kubernetes 1.32 declares them, read at startup from a
// compact table (kind_types.cpp). One source for strict field validation (unknown fields), the
// OpenAPI schemas the API publishes and the field sets of server-side apply. Subtrees kinda does
// not describe field by field (statuses, affinity, security contexts, rare volume sources) are
// `object`: any JSON is accepted there, so the table can never refuse a valid manifest.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinda::api {

// How a list merges, from the Go types' patchStrategy/patchMergeKey tags.
enum class ListMerge {
  kAtomic,     // replaced whole
  kByKey,      // items merged by merge_key
  kScalarSet,  // scalars merged by value (finalizers)
};

struct FieldType {
  enum class Shape { kValue, kMap, kList };
  Shape shape = Shape::kValue;
  // The value, map value or list item: a scalar ("string", "integer", "number", "boolean",
  // "quantity", "int-or-string", "time"), "object" (any JSON) or a struct of the table.
  std::string element;
  ListMerge merge = ListMerge::kAtomic;
  std::string merge_key;
  bool retain_keys = false;  // patchStrategy "merge,retainKeys" (volumes)

  bool is_struct() const;  // element names a struct of the table
};

struct StructType {
  std::string name;
  std::vector<std::pair<std::string, FieldType>> fields;

  const FieldType* field(std::string_view name) const;
};

class KindTypes {
 public:
  static const KindTypes& get();

  const StructType* find(std::string_view struct_name) const;
  // The struct of a whole object of `kind` ("StatefulSet"); nullptr for kinds not in the table.
  const StructType* for_kind(std::string_view kind) const;
  const std::vector<StructType>& all() const { return structs_; }

 private:
  KindTypes();
  std::vector<StructType> structs_;
};

}  // namespace kinda::api
