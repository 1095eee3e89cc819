#include "api/deployment_validation.hpp"

#include "api/defaults.hpp"
#include "api/int_or_percent.hpp"
#include "api/labels.hpp"
#include "api/pod_validation.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

constexpr long long kMaxInt32Count = 2147483647;

void apps_non_negative(Causes& c, const json& parent, const char* key, const std::string& path) {
  const json& value = field(parent, key);
  if (value.is_null()) return;
  if (!value.is_number_integer() || value.get<long long>() < 0)
    c.invalid(path + "." + key, value, "must be greater than or equal to 0");
  else if (value.get<long long>() > kMaxInt32Count)
    c.invalid(path + "." + key, value,
              "must be less than or equal to " + std::to_string(kMaxInt32Count));
}

void apps_set_default(json& object, const char* key, json value) {
  if (object.is_object() && (!object.contains(key) || object[key].is_null()))
    object[key] = std::move(value);
}

// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent (for maxUnavailable).
void check_int_or_percent(Causes& c, const json& value, const std::string& path, bool at_most_100) {
  if (value.is_string()) {
    auto percent = percent_of(value.get<std::string>());
    if (!percent)
      return c.invalid(path, value,
                       "a valid percent string must be a numeric string followed by an ending "
                       "'%' (e.g. '1%',  or '93%')");
    if (at_most_100 && *percent > 100) c.invalid(path, value, "must not be greater than 100%");
  } else if (value.is_number_integer()) {
    if (value.get<long long>() < 0) c.invalid(path, value, "must be greater than or equal to 0");
  } else if (!value.is_null()) {
    c.invalid(path, value, "must be an integer or a percentage");
  }
}

// The selector, the template and its labels, as ValidateDeploymentSpec and ValidateReplicaSetSpec
// check them alike.
void check_selector_and_template(Causes& c, const json& spec) {
  const json& selector_json = field(spec, "selector");
  std::optional<Selector> selector;
  if (selector_json.is_null()) {
    c.required("spec.selector");
  } else if (auto parsed = Selector::from_json(selector_json); !parsed) {
    c.add("spec.selector", parsed.error().message);
  } else if (parsed->empty()) {
    c.invalid("spec.selector", selector_json, "empty selector is invalid for deployment");
  } else {
    selector = *parsed;
  }
  const json& tmpl = field(spec, "template");
  if (!tmpl.is_object()) return c.required("spec.template");
  const json& labels = field(field(tmpl, "metadata"), "labels");
  if (!labels.is_null() && !labels.is_object())
    c.invalid("spec.template.metadata.labels", labels, "must be a map of string to string");
  if (selector && !selector->matches(labels_of(tmpl)))
    c.invalid("spec.template.metadata.labels", labels,
              "`selector` does not match template `labels`");
  const json& pod_spec = field(tmpl, "spec");
  check_pod_spec(c, pod_spec, "spec.template.spec", {});
  if (const json& policy = field(pod_spec, "restartPolicy");
      !policy.is_null() && policy != "Always")
    c.unsupported("spec.template.spec.restartPolicy", policy, "\"Always\"");
  if (!field(pod_spec, "activeDeadlineSeconds").is_null())
    c.forbidden("spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in ReplicaSet is not Supported");
}

void check_strategy(Causes& c, const json& strategy) {
  if (strategy.is_null()) return;
  if (!strategy.is_object()) return c.invalid("spec.strategy", strategy, "must be an object");
  const json& type = field(strategy, "type");
  const json& rolling = field(strategy, "rollingUpdate");
  if (type == "Recreate") {
    if (!rolling.is_null())
      c.forbidden("spec.strategy.rollingUpdate",
                  "may not be specified when strategy `type` is 'Recreate'");
    return;
  }
  if (type != "RollingUpdate")
    return c.unsupported("spec.strategy.type", type, "\"Recreate\", \"RollingUpdate\"");
  if (rolling.is_null())
    return c.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil");
  const json& unavailable = field(rolling, "maxUnavailable");
  const json& surge = field(rolling, "maxSurge");
  check_int_or_percent(c, unavailable, "spec.strategy.rollingUpdate.maxUnavailable", true);
  check_int_or_percent(c, surge, "spec.strategy.rollingUpdate.maxSurge", false);
  // Both 0 would never make progress: the API server refuses it against maxUnavailable.
  auto zero = [](const json& v) {
    auto n = scaled_int_or_percent(v, 100, false);
    return !v.is_null() && n && *n == 0;
  };
  if (zero(unavailable) && zero(surge))
    c.invalid("spec.strategy.rollingUpdate.maxUnavailable", unavailable,
              "may not be 0 when `maxSurge` is 0");
}

}  // namespace

void check_deployment(Causes& c, const json& deployment) {
  const json& spec = field(deployment, "spec");
  if (!spec.is_object()) return c.required("spec");
  apps_non_negative(c, spec, "replicas", "spec");
  check_selector_and_template(c, spec);
  check_strategy(c, field(spec, "strategy"));
  apps_non_negative(c, spec, "minReadySeconds", "spec");
  apps_non_negative(c, spec, "revisionHistoryLimit", "spec");
  apps_non_negative(c, spec, "progressDeadlineSeconds", "spec");
  if (const json& paused = field(spec, "paused"); !paused.is_null() && !paused.is_boolean())
    c.invalid("spec.paused", paused, "must be a boolean");
  const json& deadline = field(spec, "progressDeadlineSeconds");
  const json& min_ready = field(spec, "minReadySeconds");
  if (deadline.is_number_integer() && min_ready.is_number_integer() &&
      deadline.get<long long>() <= min_ready.get<long long>())
    c.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds");
}

void check_replicaset(Causes& c, const json& replicaset) {
  const json& spec = field(replicaset, "spec");
  if (!spec.is_object()) return c.required("spec");
  apps_non_negative(c, spec, "replicas", "spec");
  apps_non_negative(c, spec, "minReadySeconds", "spec");
  check_selector_and_template(c, spec);
}

void check_apps_selector_update(Causes& c, const json& old_object, const json& new_object) {
  const json& before = field(field(old_object, "spec"), "selector");
  const json& after = field(field(new_object, "spec"), "selector");
  if (before != after) c.invalid("spec.selector", after, "field is immutable");
}

void apply_deployment_defaults(json& deployment) {
  json& spec = deployment["spec"];
  if (!spec.is_object()) return;
  apps_set_default(spec, "replicas", 1);
  apps_set_default(spec, "strategy", json::object());
  json& strategy = spec["strategy"];
  if (strategy.is_object()) {
    apps_set_default(strategy, "type", "RollingUpdate");
    if (strategy["type"] == "RollingUpdate") {
      apps_set_default(strategy, "rollingUpdate", json::object());
      apps_set_default(strategy["rollingUpdate"], "maxUnavailable", "25%");
      apps_set_default(strategy["rollingUpdate"], "maxSurge", "25%");
    }
  }
  apps_set_default(spec, "revisionHistoryLimit", 10);
  apps_set_default(spec, "progressDeadlineSeconds", 600);
  if (spec.contains("template") && spec["template"].is_object() &&
      spec["template"].contains("spec"))
    apply_pod_spec_defaults(spec["template"]["spec"]);
}

void apply_replicaset_defaults(json& replicaset) {
  json& spec = replicaset["spec"];
  if (!spec.is_object()) return;
  apps_set_default(spec, "replicas", 1);
  if (spec.contains("template") && spec["template"].is_object() &&
      spec["template"].contains("spec"))
    apply_pod_spec_defaults(spec["template"]["spec"]);
}

}  // namespace kinda::api
