#include "cli/cordon.hpp"

#include "api/object.hpp"
#include "api/resources.hpp"

namespace kinda::cli {

Result<std::string> set_cordon(const ApiClient& client, const std::string& node, bool cordon) {
  const auto& nodes = *api::find_resource("nodes");
  auto current = client.get(nodes.path("", node));
  if (!current) return current.error();
  const auto* flag = api::find_path(*current, "spec.unschedulable");
  bool cordoned = flag && flag->is_boolean() && flag->get<bool>();
  std::string ref = "node/" + node + " ";
  std::string verb = cordon ? "cordoned" : "uncordoned";
  if (cordoned == cordon) return ref + "already " + verb;
  // As kubectl's two-way merge patch: false is Go's zero value, so uncordoning drops the field.
  nlohmann::json patch = {{"spec", {{"unschedulable", cordon ? nlohmann::json(true) : nullptr}}}};
  auto patched = client.patch(nodes.path("", node), patch);
  if (!patched) return patched.error();
  return ref + verb;
}

}  // namespace kinda::cli
