// kubectl's columns and cells of the stored kinds.
#include <catch2/catch.hpp>

#include "printers/label_selector_text.hpp"
#include "printers/stored_rows.hpp"
#include "printers/table.hpp"
#include "tests/unit/support/printer_fixtures.hpp"

namespace {

using namespace kinda::printers;
using nlohmann::json;
using printer_test::at;
using printer_test::resource;

std::vector<std::string> stored_columns(const char* kind, int priority) {
  std::vector<std::string> out;
  for (const auto& c : columns_of(resource(kind)))
    if (c.priority == priority) out.push_back(c.name);
  return out;
}

std::vector<json> stored_cells(const char* kind, json object) {
  object["metadata"]["creationTimestamp"] = "2024-01-01T00:00:00Z";
  return cell_values(print_row(resource(kind), object), at("2024-01-01T00:00:30Z"));
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("the stored kinds have kubectl's columns") {
  CHECK(stored_columns("serviceaccounts", 0) == V{"Name", "Secrets", "Age"});
  CHECK(stored_columns("roles", 0) == V{"Name", "Created At"});
  CHECK(stored_columns("clusterroles", 0) == V{"Name", "Created At"});
  CHECK(stored_columns("rolebindings", 0) == V{"Name", "Role", "Age"});
  CHECK(stored_columns("rolebindings", 1) == V{"Users", "Groups", "ServiceAccounts"});
  CHECK(stored_columns("clusterrolebindings", 0) == V{"Name", "Role", "Age"});
  CHECK(stored_columns("networkpolicies", 0) == V{"Name", "Pod-Selector", "Age"});
  CHECK(stored_columns("priorityclasses", 0) ==
        V{"Name", "Value", "Global-Default", "Age", "PreemptionPolicy"});
  CHECK(stored_columns("storageclasses", 0) == V{"Name", "Provisioner", "ReclaimPolicy",
                                                 "VolumeBindingMode", "AllowVolumeExpansion",
                                                 "Age"});
  CHECK(stored_columns("persistentvolumes", 0) ==
        V{"Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass",
          "VolumeAttributesClass", "Reason", "Age"});
  CHECK(stored_columns("persistentvolumes", 1) == V{"VolumeMode"});
}

TEST_CASE("the stored kinds' cells") {
  CHECK(stored_cells("serviceaccounts", {{"metadata", {{"name", "default"}}}}) ==
        std::vector<json>{"default", 0, "30s"});
  json binding = {{"metadata", {{"name", "b"}}},
                  {"roleRef", {{"kind", "ClusterRole"}, {"name", "view"}}},
                  {"subjects",
                   {{{"kind", "User"}, {"name", "jane"}},
                    {{"kind", "Group"}, {"name", "devs"}},
                    {{"kind", "ServiceAccount"}, {"name", "ci"}, {"namespace", "build"}}}}};
  CHECK(stored_cells("rolebindings", binding) ==
        std::vector<json>{"b", "ClusterRole/view", "30s", "jane", "devs", "build/ci"});
  CHECK(stored_cells("networkpolicies", {{"metadata", {{"name", "p"}}},
                                         {"spec", {{"podSelector", json::object()}}}}) ==
        std::vector<json>{"p", "<none>", "30s"});
  CHECK(label_selector_text({{"matchLabels", {{"app", "web"}}},
                             {"matchExpressions",
                              {{{"key", "tier"}, {"operator", "In"}, {"values", {"b", "a"}}},
                               {{"key", "zone"}, {"operator", "DoesNotExist"}}}}}) ==
        "app=web,tier in (a,b),!zone");
  CHECK(stored_cells("priorityclasses", {{"metadata", {{"name", "high"}}}, {"value", 1000}}) ==
        std::vector<json>{"high", 1000, false, "30s", "PreemptLowerPriority"});
  json sc = {{"metadata",
              {{"name", "standard"},
               {"annotations", {{"storageclass.kubernetes.io/is-default-class", "true"}}}}},
             {"provisioner", "rancher.io/local-path"},
             {"reclaimPolicy", "Delete"},
             {"volumeBindingMode", "WaitForFirstConsumer"}};
  CHECK(stored_cells("storageclasses", sc) ==
        std::vector<json>{"standard (default)", "rancher.io/local-path", "Delete",
                          "WaitForFirstConsumer", false, "30s"});
  json pv = {{"metadata", {{"name", "pvc-1"}}},
             {"spec",
              {{"capacity", {{"storage", "1Gi"}}},
               {"accessModes", {"ReadWriteOnce"}},
               {"persistentVolumeReclaimPolicy", "Delete"},
               {"claimRef", {{"namespace", "default"}, {"name", "data-web-0"}}},
               {"storageClassName", "standard"},
               {"volumeMode", "Filesystem"}}},
             {"status", {{"phase", "Bound"}}}};
  CHECK(stored_cells("persistentvolumes", pv) ==
        std::vector<json>{"pvc-1", "1Gi", "RWO", "Delete", "Bound", "default/data-web-0",
                          "standard", "<unset>", "", "30s", "Filesystem"});
}
