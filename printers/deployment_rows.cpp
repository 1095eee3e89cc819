#include "printers/deployment_rows.hpp"

#include <string>
#include <vector>

#include "api/object.hpp"
#include "api/timestamps.hpp"
#include "printers/fields.hpp"
#include "printers/label_selector_text.hpp"

namespace kinda::printers {
namespace {

using nlohmann::json;

std::string joined_with(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

std::pair<std::string, std::string> template_containers(const json& object) {
  std::vector<std::string> names, images;
  const json* containers = api::find_path(object, "spec.template.spec.containers");
  if (containers && containers->is_array())
    for (const auto& c : *containers) {
      names.push_back(api::string_at(c, "name"));
      images.push_back(api::string_at(c, "image"));
    }
  return {joined_with(names, ","), joined_with(images, ",")};
}

Age created(const json& object) {
  return Age{time_at(object, "metadata.creationTimestamp"), "", ""};
}

std::string count(const json& object, const char* path, long long fallback = 0) {
  return std::to_string(api::int_at(object, path, fallback));
}

}  // namespace

PrintedRow print_deployment(const json& d) {
  auto [names, images] = template_containers(d);
  PrintedRow row;
  row.cells = {json(api::name_of(d)),
               json(count(d, "status.readyReplicas") + "/" + count(d, "spec.replicas", 1)),
               json(api::int_at(d, "status.updatedReplicas")),
               json(api::int_at(d, "status.availableReplicas")),
               created(d),
               json(names),
               json(images),
               json(label_selector_text(field(d, "spec.selector")))};
  return row;
}

PrintedRow print_replicaset(const json& rs) {
  auto [names, images] = template_containers(rs);
  PrintedRow row;
  row.cells = {json(api::name_of(rs)),
               json(api::int_at(rs, "spec.replicas", 1)),
               json(api::int_at(rs, "status.replicas")),
               json(api::int_at(rs, "status.readyReplicas")),
               created(rs),
               json(names),
               json(images),
               json(label_selector_text(field(rs, "spec.selector")))};
  return row;
}

}  // namespace kinda::printers
