#include "printers/disruption_rows.hpp"

#include <map>
#include <string>
#include <vector>

#include "api/object.hpp"
#include "printers/fields.hpp"
#include "printers/label_selector_text.hpp"

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
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return value.dump();
}

// labels.FormatLabels: sorted "k=v" pairs, "<none>" for none.
std::string label_map_text(const json& map) {
  if (!map.is_object() || map.empty()) return "<none>";
  std::map<std::string, std::string> sorted;
  for (const auto& [k, v] : map.items()) sorted[k] = scalar_text(v);
  std::vector<std::string> parts;
  for (const auto& [k, v] : sorted) parts.push_back(k + "=" + v);
  return joined(parts, ",");
}

// intstr's String(): "2" or "50%"; N/A when unset.
std::string int_or_percent_text(const json& value) {
  return value.is_null() ? "N/A" : scalar_text(value);
}

}  // namespace

PrintedRow print_daemonset(const json& ds) {
  std::vector<std::string> names, images;
  for (const auto& c : array_at(ds, "spec.template.spec.containers")) {
    names.push_back(api::string_at(c, "name"));
    images.push_back(api::string_at(c, "image"));
  }
  PrintedRow row;
  row.cells = {json(api::name_of(ds)),
               json(api::int_at(ds, "status.desiredNumberScheduled")),
               json(api::int_at(ds, "status.currentNumberScheduled")),
               json(api::int_at(ds, "status.numberReady")),
               json(api::int_at(ds, "status.updatedNumberScheduled")),
               json(api::int_at(ds, "status.numberAvailable")),
               json(label_map_text(field(ds, "spec.template.spec.nodeSelector"))),
               created_age(ds),
               json(joined(names, ",")),
               json(joined(images, ",")),
               json(label_selector_text(field(ds, "spec.selector")))};
  return row;
}

PrintedRow print_pod_disruption_budget(const json& pdb) {
  PrintedRow row;
  row.cells = {json(api::name_of(pdb)), json(int_or_percent_text(field(pdb, "spec.minAvailable"))),
               json(int_or_percent_text(field(pdb, "spec.maxUnavailable"))),
               json(api::int_at(pdb, "status.disruptionsAllowed")), created_age(pdb)};
  return row;
}

}  // namespace kinda::printers
