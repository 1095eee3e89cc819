#include "printers/stored_rows.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "printers/fields.hpp"
#include "printers/label_selector_text.hpp"
#include "printers/rows.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

bool flag(const json& object, const char* dotted) {
  const json& value = field(object, dotted);
  return value.is_boolean() && value.get<bool>();
}

}  // namespace

PrintedRow print_service_account(const json& account) {
  PrintedRow row;
  row.cells = {json(api::name_of(account)),
               json(static_cast<long long>(array_at(account, "secrets").size())),
               created_age(account)};
  return row;
}

PrintedRow print_role_binding(const json& binding) {
  // rbac.SubjectsStrings: users, groups, and service accounts as namespace/name.
  std::vector<std::string> users, groups, accounts;
  for (const auto& subject : array_at(binding, "subjects")) {
    const std::string kind = api::string_at(subject, "kind");
    const std::string name = api::string_at(subject, "name");
    if (kind == "User") {
      users.push_back(name);
    } else if (kind == "Group") {
      groups.push_back(name);
    } else if (kind == "ServiceAccount") {
      const std::string ns = api::string_at(subject, "namespace");
      accounts.push_back(ns.empty() ? name : ns + "/" + name);
    }
  }
  PrintedRow row;
  row.cells = {
      json(api::name_of(binding)),
      json(api::string_at(binding, "roleRef.kind") + "/" + api::string_at(binding, "roleRef.name")),
      created_age(binding),
      json(joined(users, ", ")),
      json(joined(groups, ", ")),
      json(joined(accounts, ", "))};
  return row;
}

PrintedRow print_network_policy(const json& policy) {
  PrintedRow row;
  row.cells = {json(api::name_of(policy)),
               json(label_selector_text(field(policy, "spec.podSelector"))), created_age(policy)};
  return row;
}

PrintedRow print_priority_class(const json& pc) {
  const json& value = field(pc, "value");
  PrintedRow row;
  row.cells = {json(api::name_of(pc)), value.is_number_integer() ? value : json(0),
               json(flag(pc, "globalDefault")), created_age(pc),
               json(api::string_at(pc, "preemptionPolicy", "PreemptLowerPriority"))};
  return row;
}

PrintedRow print_storage_class(const json& sc) {
  std::string name = api::name_of(sc);
  // storageutil.IsDefaultAnnotation: the GA annotation or the beta one, "true".
  for (const char* key : {"storageclass.kubernetes.io/is-default-class",
                          "storageclass.beta.kubernetes.io/is-default-class"})
    if (const json& annotations = field(sc, "metadata.annotations");
        annotations.is_object() && annotations.value(key, json()) == "true") {
      name += " (default)";
      break;
    }
  PrintedRow row;
  row.cells = {json(name),
               json(api::string_at(sc, "provisioner")),
               json(api::string_at(sc, "reclaimPolicy", "Delete")),
               json(api::string_at(sc, "volumeBindingMode", "Immediate")),
               json(flag(sc, "allowVolumeExpansion")),
               created_age(sc)};
  return row;
}

PrintedRow print_persistent_volume(const json& pv) {
  std::string claim;
  if (const json& ref = field(pv, "spec.claimRef"); ref.is_object())
    claim = api::string_at(ref, "namespace") + "/" + api::string_at(ref, "name");
  std::string phase = api::string_at(pv, "status.phase");
  if (api::is_terminating(pv)) phase = "Terminating";
  PrintedRow row;
  row.cells = {json(api::name_of(pv)),
               json(scalar_text(field(pv, "spec.capacity.storage"))),
               json(access_modes(field(pv, "spec.accessModes"))),
               json(api::string_at(pv, "spec.persistentVolumeReclaimPolicy")),
               json(phase),
               json(claim),
               json(api::string_at(pv, "spec.storageClassName")),
               json(api::string_at(pv, "spec.volumeAttributesClassName", "<unset>")),
               json(api::string_at(pv, "status.reason")),
               created_age(pv),
               json(api::string_at(pv, "spec.volumeMode", "Filesystem"))};
  return row;
}

}  // namespace kinda::printers
