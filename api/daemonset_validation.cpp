#include "api/daemonset_validation.hpp"

#include "api/decoding.hpp"
#include "api/defaults.hpp"
#include "api/int_or_percent.hpp"
#include "api/labels.hpp"
#include "api/pod_validation.hpp"
#include "api/resources.hpp"
#include "api/template_metadata_validation.hpp"

namespace kinda::api {
namespace {

using nlohmann::json;

void check_count(Causes& c, const json& spec, const char* key) {
  const json& value = field(spec, key);
  if (value.is_null()) return;
  if (!value.is_number_integer() || value.get<long long>() < 0)
    c.invalid(std::string("spec.") + key, value, "must be greater than or equal to 0");
  else if (value.get<long long>() > 2147483647)
    c.invalid(std::string("spec.") + key, value, "must be less than or equal to 2147483647");
}

bool is_zero(const json& value) {
  if (value.is_null()) return true;
  auto scaled = scaled_int_or_percent(value, 100, true);
  return scaled && *scaled == 0;
}

void check_strategy(Causes& c, const json& strategy) {
  const std::string path = "spec.updateStrategy";
  if (!strategy.is_null() && !strategy.is_object())
    return c.invalid(path, strategy, "must be an object");
  const json& type = field(strategy, "type");
  if (type.is_null() || type == "") return c.required(path + ".type");
  if (type != "RollingUpdate" && type != "OnDelete")
    return c.unsupported(path + ".type", type, "\"OnDelete\", \"RollingUpdate\"");
  if (type != "RollingUpdate") return;
  const json& rolling = field(strategy, "rollingUpdate");
  if (rolling.is_null()) return c.required(path + ".rollingUpdate");
  if (!rolling.is_object()) return c.invalid(path + ".rollingUpdate", rolling, "must be an object");
  const json& unavailable = field(rolling, "maxUnavailable");
  const json& surge = field(rolling, "maxSurge");
  Causes parts;
  check_int_or_percent(parts, unavailable, path + ".rollingUpdate.maxUnavailable");
  check_int_or_percent(parts, surge, path + ".rollingUpdate.maxSurge");
  c.list.insert(c.list.end(), parts.list.begin(), parts.list.end());
  if (parts.list.empty() && is_zero(unavailable) && is_zero(surge))
    c.invalid(path + ".rollingUpdate.maxUnavailable", unavailable.is_null() ? json(0) : unavailable,
              "may not be 0 when `maxSurge` is 0");
}

}  // namespace

void check_daemonset(Causes& c, const json& ds) {
  const json& spec = field(ds, "spec");
  if (!spec.is_object()) return c.required("spec");
  check_count(c, spec, "minReadySeconds");
  check_count(c, spec, "revisionHistoryLimit");
  check_strategy(c, field(spec, "updateStrategy"));

  const json& tmpl = field(spec, "template");
  if (!tmpl.is_object()) return c.required("spec.template");
  const json& tmeta = field(tmpl, "metadata");
  check_template_metadata(c, tmeta, "spec.template.metadata");
  check_pod_spec(c, field(tmpl, "spec"), "spec.template.spec", {});
  if (const json& policy = field(field(tmpl, "spec"), "restartPolicy");
      !policy.is_null() && policy != "Always")
    c.unsupported("spec.template.spec.restartPolicy", policy, "\"Always\"");

  const json& selector_json = field(spec, "selector");
  if (selector_json.is_null()) return c.required("spec.selector");
  auto selector = Selector::from_json(selector_json);
  if (!selector) return c.add("spec.selector", selector.error().message);
  if (selector->empty())
    return c.invalid("spec.selector", selector_json, "empty selector is invalid for daemonset");
  if (!selector->matches(labels_of(tmpl)))
    c.invalid("spec.template.metadata.labels", field(tmeta, "labels"),
              "`selector` does not match template `labels`");
}

void check_daemonset_update(Causes& c, const json& old_ds, const json& ds) {
  const json& before = field(field(old_ds, "spec"), "selector");
  const json& after = field(field(ds, "spec"), "selector");
  if (before != after) c.invalid("spec.selector", after, "field is immutable");
}

void apply_daemonset_defaults(json& ds) {
  if (!ds.contains("spec") || !ds["spec"].is_object()) return;
  json& spec = ds["spec"];
  if (!spec.contains("revisionHistoryLimit") || spec["revisionHistoryLimit"].is_null())
    spec["revisionHistoryLimit"] = 10;
  if (!spec.contains("updateStrategy") || spec["updateStrategy"].is_null())
    spec["updateStrategy"] = json::object();
  json& strategy = spec["updateStrategy"];
  if (strategy.is_object()) {
    if (!strategy.contains("type") || strategy["type"].is_null() || strategy["type"] == "")
      strategy["type"] = "RollingUpdate";
    if (strategy["type"] == "RollingUpdate") {
      if (!strategy.contains("rollingUpdate") || strategy["rollingUpdate"].is_null())
        strategy["rollingUpdate"] = json::object();
      json& rolling = strategy["rollingUpdate"];
      if (rolling.is_object()) {
        if (!rolling.contains("maxUnavailable") || rolling["maxUnavailable"].is_null())
          rolling["maxUnavailable"] = 1;
        if (!rolling.contains("maxSurge") || rolling["maxSurge"].is_null()) rolling["maxSurge"] = 0;
      }
    }
  }
  if (spec.contains("template") && spec["template"].is_object() &&
      spec["template"].contains("spec"))
    apply_pod_spec_defaults(spec["template"]["spec"]);
}

}  // namespace kinda::api
