#include "api/pod_validation.hpp"

#include "api/container_validation.hpp"
#include "api/names.hpp"
#include "api/security_context_validation.hpp"
#include "api/volume_validation.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

std::set<std::string> volume_names(Causes& c, const json& spec, const std::string& path,
                                   std::set<std::string> names) {
  const json& volumes = spec.value("volumes", json());
  if (!volumes.is_array()) return names;
  for (size_t i = 0; i < volumes.size(); ++i) {
    std::string vname = string_field(volumes[i], "name");
    std::string vp = index_path(path + ".volumes", i) + ".name";
    if (vname.empty())
      c.required(vp);
    else if (auto problem = check_dns1123_label(vname))
      c.invalid(vp, vname, *problem);
    else if (!names.insert(vname).second)
      c.duplicate(vp, vname);
    check_volume_source(c, volumes[i], index_path(path + ".volumes", i));
  }
  return names;
}

// Containers first, then init containers, so a clash is reported on the init container as
// Kubernetes does.
void check_container_list(Causes& c, const json& list, const std::string& path,
                          const ContainerRules& rules, std::set<std::string>& seen_names) {
  if (!list.is_array()) return c.add(path, "must be a list");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string p = index_path(path, i);
    check_container(c, list[i], p, rules);
    std::string name = string_field(list[i], "name");
    if (!name.empty() && !check_dns1123_label(name) && !seen_names.insert(name).second)
      c.duplicate(p + ".name", name);
  }
}

}  // namespace

void check_pod_spec(Causes& c, const json& spec, const std::string& path,
                    const std::set<std::string>& extra_volumes) {
  if (!spec.is_object()) return c.required(path);
  ContainerRules rules;
  rules.volume_names = volume_names(c, spec, path, extra_volumes);
  const json& grace = spec.value("terminationGracePeriodSeconds", json());
  if (!grace.is_null() && !(grace.is_number_integer() && grace.get<long long>() >= 0))
    c.invalid(path + ".terminationGracePeriodSeconds", grace, "must be greater than or equal to 0");
  else if (!grace.is_null())
    rules.grace_period_seconds = grace.get<long long>();

  std::set<std::string> names;
  const json& containers = spec.value("containers", json());
  if (containers.is_null() || (containers.is_array() && containers.empty()))
    c.required(path + ".containers");
  else
    check_container_list(c, containers, path + ".containers", rules, names);
  const json& init = spec.value("initContainers", json());
  rules.init = true;
  if (!init.is_null()) check_container_list(c, init, path + ".initContainers", rules, names);

  const json& policy = spec.value("restartPolicy", json("Always"));
  if (policy != "Always" && policy != "OnFailure" && policy != "Never")
    c.unsupported(path + ".restartPolicy", policy, "\"Always\", \"Never\", \"OnFailure\"");
  check_pod_security_context(c, field(spec, "securityContext"), path + ".securityContext");
  for (const char* key : {"hostname", "subdomain"})
    if (spec.contains(key) && spec[key].is_string())
      if (auto problem = check_dns1123_label(spec[key].get<std::string>()))
        c.invalid(path + "." + key, spec[key], *problem);
}

}  // namespace kinda::api
