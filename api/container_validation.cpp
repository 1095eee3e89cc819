#include "api/container_validation.hpp"

#include <algorithm>
#include <cctype>

#include "api/env_validation.hpp"
#include "api/names.hpp"
#include "api/probe_validation.hpp"
#include "api/quantity.hpp"
#include "api/security_context_validation.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

const char* const kSupportedResources = "\"cpu\", \"ephemeral-storage\", \"memory\"";

bool is_port_number(const json& v, long long lowest) {
  return v.is_number_integer() && v.get<long long>() >= lowest && v.get<long long>() <= 65535;
}

void check_image(Causes& c, const json& ct, const std::string& path) {
  std::string image = string_field(ct, "image");
  if (image.empty()) return c.required(path + ".image");
  if (std::isspace(static_cast<unsigned char>(image.front())) ||
      std::isspace(static_cast<unsigned char>(image.back())))
    c.invalid(path + ".image", image, "must not have leading or trailing whitespace");
}

void check_strings(Causes& c, const json& ct, const char* key, const std::string& path) {
  if (!ct.contains(key) || ct[key].is_null()) return;
  bool ok = ct[key].is_array();
  if (ok)
    for (const auto& a : ct[key]) ok = ok && a.is_string();
  if (!ok) c.add(path + "." + key, "must be a list of strings");
}

void check_working_dir(Causes& c, const json& ct, const std::string& path) {
  if (!ct.contains("workingDir") || ct["workingDir"].is_null()) return;
  const json& dir = ct["workingDir"];
  if (!dir.is_string())
    c.invalid(path + ".workingDir", dir, "must be a string");
  else if (!dir.get<std::string>().empty() && dir.get<std::string>().front() != '/')
    c.invalid(path + ".workingDir", dir,
              "must be an absolute path (a kinda rule: the process starts in this directory on "
              "the host or in its sandbox, with no image root to resolve it against)");
}

void check_ports(Causes& c, const json& ports, const std::string& path) {
  if (ports.is_null()) return;
  if (!ports.is_array()) return c.add(path, "must be a list");
  std::set<std::string> names;
  for (size_t i = 0; i < ports.size(); ++i) {
    std::string p = index_path(path, i);
    const json& port = ports[i];
    if (!port.is_object()) {
      c.add(p, "must be an object");
      continue;
    }
    if (port.contains("name") && !port["name"].is_null()) {
      const json& name = port["name"];
      auto problems = name.is_string() ? check_port_name(name.get<std::string>())
                                       : std::vector<std::string>{"must be a string"};
      for (const auto& problem : problems) c.invalid(p + ".name", name, problem);
      if (problems.empty() && !names.insert(name.get<std::string>()).second)
        c.duplicate(p + ".name", name);
    }
    const json& number = port.value("containerPort", json());
    if (number.is_null() || number == 0)
      c.required(p + ".containerPort");
    else if (!is_port_number(number, 1))
      c.invalid(p + ".containerPort", number, "must be between 1 and 65535, inclusive");
    if (port.contains("hostPort") && !port["hostPort"].is_null() &&
        !is_port_number(port["hostPort"], 0))
      c.invalid(p + ".hostPort", port["hostPort"], "must be between 1 and 65535, inclusive");
    const json& protocol = port.value("protocol", json("TCP"));
    if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP")
      c.unsupported(p + ".protocol", protocol, "\"SCTP\", \"TCP\", \"UDP\"");
  }
}

// A subPath names a directory inside the volume, which the pod manager creates: as Kubernetes
// requires, it must stay inside (relative, no ".." element), or a manifest could make and mount
// directories anywhere the user can write.
void check_sub_path(Causes& c, const json& mount, const std::string& path) {
  const std::string sub = checked_string(c, mount, "subPath", path);
  if (!sub.empty() && sub.front() == '/') return c.invalid(path, sub, "must be a relative path");
  for (size_t start = 0; start <= sub.size();) {
    const size_t slash = std::min(sub.find('/', start), sub.size());
    if (sub.compare(start, slash - start, "..") == 0)
      return c.invalid(path, sub, "must not contain '..'");
    start = slash + 1;
  }
}

void check_volume_mounts(Causes& c, const json& mounts, const std::string& path,
                         const std::set<std::string>& volume_names) {
  if (mounts.is_null()) return;
  if (!mounts.is_array()) return c.add(path, "must be a list");
  std::set<std::string> mount_paths;
  for (size_t j = 0; j < mounts.size(); ++j) {
    std::string mp = index_path(path, j);
    const json& m = mounts[j];
    std::string vname = string_field(m, "name");
    if (vname.empty())
      c.required(mp + ".name");
    else if (!volume_names.count(vname))
      c.not_found(mp + ".name", vname);
    std::string mount_path = string_field(m, "mountPath");
    if (mount_path.empty())
      c.required(mp + ".mountPath");
    else if (mount_path.front() != '/')
      c.invalid(mp + ".mountPath", mount_path, "must be an absolute path");
    else if (mount_path.find("..") != std::string::npos)
      c.invalid(mp + ".mountPath", mount_path, "must not contain '..'");
    else if (!mount_paths.insert(mount_path).second)
      c.invalid(mp + ".mountPath", mount_path, "must be unique");
    if (const json& read_only = field(m, "readOnly");
        !read_only.is_null() && !read_only.is_boolean())
      c.invalid(mp + ".readOnly", read_only, "must be a boolean");
    check_sub_path(c, m, mp + ".subPath");
    if (!string_field(m, "subPath").empty() && !string_field(m, "subPathExpr").empty())
      c.invalid(mp + ".subPathExpr", string_field(m, "subPathExpr"),
                "subPathExpr and subPath are mutually exclusive");
  }
}

// Probes and lifecycle hooks belong to long-running containers; init containers only get them as
// sidecars (restartPolicy: Always), which kinda does not run.
void check_init_only_rules(Causes& c, const json& ct, const std::string& path) {
  for (const char* key : {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"})
    if (ct.contains(key) && !ct[key].is_null())
      c.forbidden(path + "." + key,
                  "may not be set for init containers without restartPolicy=Always");
  if (!ct.contains("restartPolicy") || ct["restartPolicy"].is_null()) return;
  if (ct["restartPolicy"] == "Always")
    c.forbidden(path + ".restartPolicy",
                "kinda does not support sidecar containers (init containers with restartPolicy: "
                "Always); run the sidecar as a regular container instead");
  else
    c.unsupported(path + ".restartPolicy", ct["restartPolicy"], "\"Always\"");
}

void check_long_running_rules(Causes& c, const json& ct, const std::string& path, long long grace) {
  if (ct.contains("restartPolicy") && !ct["restartPolicy"].is_null())
    c.forbidden(path + ".restartPolicy", "may not be set for non-init containers");
  for (const char* probe : {"readinessProbe", "livenessProbe", "startupProbe"})
    if (ct.contains(probe) && !ct[probe].is_null()) check_probe(c, ct[probe], path + "." + probe);
  for (const char* probe : {"livenessProbe", "startupProbe"}) {
    const json* threshold =
        ct.contains(probe) && ct[probe].is_object() && ct[probe].contains("successThreshold")
            ? &ct[probe]["successThreshold"]
            : nullptr;
    if (threshold && *threshold != 1)
      c.invalid(path + "." + probe + ".successThreshold", *threshold, "must be 1");
  }
  if (ct.contains("lifecycle")) check_lifecycle(c, ct["lifecycle"], path + ".lifecycle", grace);
}

std::optional<int64_t> amount(const std::string& resource, const json& quantity) {
  return resource == "cpu" ? cpu_millicores(quantity) : memory_bytes(quantity);
}

}  // namespace

void check_resource_requirements(Causes& c, const json& resources, const std::string& path) {
  if (resources.is_null()) return;
  if (!resources.is_object()) return c.add(path, "must be an object");
  for (const char* kind : {"limits", "requests"}) {
    if (!resources.contains(kind) || resources[kind].is_null()) continue;
    std::string p = path + "." + kind;
    if (!resources[kind].is_object()) {
      c.add(p, "must be a map of resource names to quantities");
      continue;
    }
    for (const auto& [name, value] : resources[kind].items()) {
      if (name != "cpu" && name != "memory" && name != "ephemeral-storage")
        c.unsupported(
            key_path(p, name), name,
            std::string(kSupportedResources) + " (kinda does not support other resources)");
      else if (auto problem = check_resource_quantity(value))
        c.invalid(key_path(p, name), quantity_text(value).value_or(value.dump()), *problem);
    }
  }
  if (!resources.contains("limits") || !resources["limits"].is_object() ||
      !resources.contains("requests") || !resources["requests"].is_object())
    return;
  const json& limits = resources["limits"];
  for (const auto& [name, request] : resources["requests"].items()) {
    if (!limits.contains(name)) continue;
    auto wanted = amount(name, request), limit = amount(name, limits[name]);
    if (wanted && limit && *wanted > *limit)
      c.invalid(
          path + ".requests", *quantity_text(request),
          "must be less than or equal to " + name + " limit of " + *quantity_text(limits[name]));
  }
}

void check_container(Causes& c, const json& ct, const std::string& path,
                     const ContainerRules& rules) {
  if (!ct.is_object()) return c.add(path, "must be an object");
  std::string name = string_field(ct, "name");
  if (name.empty())
    c.required(path + ".name");
  else if (auto problem = check_dns1123_label(name))
    c.invalid(path + ".name", name, *problem);
  check_image(c, ct, path);
  check_strings(c, ct, "command", path);
  check_strings(c, ct, "args", path);
  check_working_dir(c, ct, path);
  check_ports(c, ct.value("ports", json()), path + ".ports");
  check_env_from(c, ct.value("envFrom", json()), path + ".envFrom");
  check_env(c, ct.value("env", json()), path + ".env");
  check_volume_mounts(c, ct.value("volumeMounts", json()), path + ".volumeMounts",
                      rules.volume_names);
  if (rules.init)
    check_init_only_rules(c, ct, path);
  else
    check_long_running_rules(c, ct, path, rules.grace_period_seconds);
  check_resource_requirements(c, ct.value("resources", json()), path + ".resources");
  check_container_security_context(c, field(ct, "securityContext"), path + ".securityContext");
}

}  // namespace kinda::api
