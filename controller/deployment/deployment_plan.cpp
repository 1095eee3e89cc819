#include "controller/deployment/deployment_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "api/int_or_percent.hpp"
#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::controller {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

long long spec_replicas(const Object& o) {
  return api::int_at(o, "spec.replicas", 1);
}
long long status_count(const Object& o, const char* key) {
  return api::int_at(o, std::string("status.") + key, 0);
}

std::string annotation(const Object& o, const std::string& key) {
  const auto* a = api::find_path(o, "metadata.annotations");
  if (!a || !a->is_object()) return "";
  auto it = a->find(key);
  return it != a->end() && it->is_string() ? it->get<std::string>() : "";
}
void set_annotation(Object& o, const std::string& key, const std::string& value) {
  if (!o["metadata"].contains("annotations") || !o["metadata"]["annotations"].is_object())
    o["metadata"]["annotations"] = json::object();
  o["metadata"]["annotations"][key] = value;
}
std::optional<long long> int_annotation(const Object& o, const std::string& key) {
  auto text = annotation(o, key);
  if (text.empty()) return std::nullopt;
  try {
    return std::stoll(text);
  } catch (...) {
    return std::nullopt;
  }
}

// Templates compared as apimachinery's Semantic.DeepEqual does the Go structs: a null, an empty
// map and an empty list are all the same as an absent field (kubectl's undo sends the old set's
// template with `creationTimestamp: null` and `resources: {}` in it).
Object semantic(const Object& value) {
  if (value.is_object()) {
    Object out = json::object();
    for (const auto& [k, v] : value.items()) {
      Object n = semantic(v);
      if (!n.is_null()) out[k] = std::move(n);
    }
    return out.empty() ? Object() : out;
  }
  if (value.is_array()) {
    Object out = json::array();
    for (const auto& v : value) out.push_back(semantic(v));
    return out.empty() ? Object() : out;
  }
  return value;
}

Object without_hash(Object tmpl) {
  if (tmpl.is_object() && tmpl.contains("metadata") && tmpl["metadata"].contains("labels") &&
      tmpl["metadata"]["labels"].is_object()) {
    tmpl["metadata"]["labels"].erase(kPodTemplateHashLabel);
    if (tmpl["metadata"]["labels"].empty()) tmpl["metadata"].erase("labels");
  }
  return tmpl;
}

std::string created_at(const Object& o) {
  return api::string_at(o, "metadata.creationTimestamp");
}

// Conditions (DeploymentCondition) as deploymentutil sets them.
const Object* find_condition(const Object& status, const std::string& type) {
  const auto* list = api::find_path(status, "conditions");
  if (!list || !list->is_array()) return nullptr;
  for (const auto& c : *list)
    if (api::string_at(c, "type") == type) return &c;
  return nullptr;
}
void remove_condition(Object& status, const std::string& type) {
  if (!status.contains("conditions") || !status["conditions"].is_array()) return;
  auto& list = status["conditions"];
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const Object& c) { return api::string_at(c, "type") == type; }),
             list.end());
  if (list.empty()) status.erase("conditions");
}
void set_condition(Object& status, const std::string& type, const std::string& value,
                   const std::string& reason, const std::string& message, Clock::time_point now) {
  const Object* current = find_condition(status, type);
  if (current && api::string_at(*current, "status") == value &&
      api::string_at(*current, "reason") == reason)
    return;
  std::string stamp = api::format_rfc3339(now);
  Object c = {{"type", type},
              {"status", value},
              {"lastUpdateTime", stamp},
              {"lastTransitionTime", stamp},
              {"reason", reason},
              {"message", message}};
  if (current && api::string_at(*current, "status") == value)
    c["lastTransitionTime"] = api::string_at(*current, "lastTransitionTime");
  remove_condition(status, type);
  if (!status.contains("conditions")) status["conditions"] = json::array();
  status["conditions"].push_back(std::move(c));
}

bool is_recreate(const Object& d) {
  return api::string_at(d, "spec.strategy.type", "RollingUpdate") == "Recreate";
}

// The working set of one reconcile: every owned ReplicaSet, which one is new, what changed.
struct Step {
  const Object& d;
  Clock::time_point now;
  std::vector<Object> all;  // owned, plus the one created in this step
  int new_index = -1;
  std::set<std::string> changed;
  DeploymentPlan plan;

  Object* new_rs() { return new_index < 0 ? nullptr : &all[static_cast<size_t>(new_index)]; }
  std::vector<Object*> olds(bool active_only) {
    std::vector<Object*> out;
    for (size_t i = 0; i < all.size(); ++i)
      if (static_cast<int>(i) != new_index && (!active_only || spec_replicas(all[i]) > 0))
        out.push_back(&all[i]);
    std::sort(out.begin(), out.end(),
              [](const Object* a, const Object* b) { return created_at(*a) < created_at(*b); });
    return out;
  }
  // scaleReplicaSetAndRecordEvent, with SetReplicasAnnotations.
  bool scale(Object& rs, long long to) {
    const long long from = spec_replicas(rs);
    auto f = resolve_fenceposts(d);
    const std::string desired = std::to_string(spec_replicas(d));
    const std::string most = std::to_string(spec_replicas(d) + f.surge);
    bool annotate = annotation(rs, kDesiredReplicasAnnotation) != desired ||
                    annotation(rs, kMaxReplicasAnnotation) != most;
    if (from == to && !annotate) return false;
    rs["spec"]["replicas"] = to;
    set_annotation(rs, kDesiredReplicasAnnotation, desired);
    set_annotation(rs, kMaxReplicasAnnotation, most);
    changed.insert(api::name_of(rs));
    if (from != to)
      plan.events.push_back(std::string("Scaled ") + (to > from ? "up" : "down") + " replica set " +
                            api::name_of(rs) + " from " + std::to_string(from) + " to " +
                            std::to_string(to));
    return from != to;
  }
};

// Annotations a deployment passes on to its ReplicaSets (copyDeploymentAnnotationsToReplicaSet).
bool copied_annotation(const std::string& key) {
  return key != "kubectl.kubernetes.io/last-applied-configuration" && key != kRevisionAnnotation &&
         key != kRevisionHistoryAnnotation && key != kDesiredReplicasAnnotation &&
         key != kMaxReplicasAnnotation && key != "deprecated.deployment.rollback.to";
}

bool copy_annotations(const Object& d, Object& rs) {
  bool changed = false;
  const auto* a = api::find_path(d, "metadata.annotations");
  if (!a || !a->is_object()) return false;
  for (const auto& [k, v] : a->items())
    if (copied_annotation(k) && v.is_string() && annotation(rs, k) != v.get<std::string>()) {
      set_annotation(rs, k, v.get<std::string>());
      changed = true;
    }
  return changed;
}

// FindActiveOrLatest: the one active set, or the newest when none is active; null otherwise.
Object* active_or_latest(Step& s) {
  std::vector<Object*> active;
  for (auto& rs : s.all)
    if (spec_replicas(rs) > 0) active.push_back(&rs);
  if (active.size() == 1) return active.front();
  if (!active.empty()) return nullptr;
  if (s.new_rs()) return s.new_rs();
  Object* latest = nullptr;
  for (auto& rs : s.all)
    if (!latest || created_at(rs) > created_at(*latest)) latest = &rs;
  return latest;
}

// dc.scale: the deployment's replicas changed mid-rollout, spread in proportion.
void scale_deployment(Step& s) {
  const long long replicas = spec_replicas(s.d);
  if (Object* only = active_or_latest(s)) {
    s.scale(*only, replicas);
    return;
  }
  Object* fresh = s.new_rs();
  if (fresh && spec_replicas(*fresh) == replicas &&
      int_annotation(*fresh, kDesiredReplicasAnnotation) == replicas &&
      status_count(*fresh, "availableReplicas") == replicas) {
    for (Object* old : s.olds(true)) s.scale(*old, 0);
    return;
  }
  if (is_recreate(s.d)) return;
  std::vector<Object*> active;
  long long total = 0;
  for (auto& rs : s.all)
    if (spec_replicas(rs) > 0) {
      active.push_back(&rs);
      total += spec_replicas(rs);
    }
  const long long surge = resolve_fenceposts(s.d).surge;
  const long long allowed = replicas > 0 ? replicas + surge : 0;
  const long long to_add = allowed - total;
  // Larger first; newer first when adding, older first when removing.
  std::sort(active.begin(), active.end(), [&](const Object* a, const Object* b) {
    if (spec_replicas(*a) != spec_replicas(*b)) return spec_replicas(*a) > spec_replicas(*b);
    return to_add > 0 ? created_at(*a) > created_at(*b) : created_at(*a) < created_at(*b);
  });
  std::vector<long long> sizes;
  long long added = 0;
  for (Object* rs : active) {
    long long size = spec_replicas(*rs);
    if (to_add != 0 && to_add != added) {
      long long fraction;
      if (replicas == 0) {
        fraction = -size;
      } else {
        long long annotated =
            int_annotation(*rs, kMaxReplicasAnnotation).value_or(status_count(s.d, "replicas"));
        double scaled = annotated > 0 ? static_cast<double>(size * (replicas + surge)) /
                                            static_cast<double>(annotated)
                                      : static_cast<double>(size);
        fraction = static_cast<long long>(std::llround(scaled)) - size;
      }
      long long left = to_add - added;
      long long proportion = to_add > 0 ? std::min(fraction, left) : std::max(fraction, left);
      size += proportion;
      added += proportion;
    }
    sizes.push_back(size);
  }
  if (!sizes.empty() && to_add != 0) sizes[0] = std::max(0LL, sizes[0] + to_add - added);
  for (size_t i = 0; i < active.size(); ++i) s.scale(*active[i], sizes[i]);
}

// cleanupDeployment: old sets beyond revisionHistoryLimit, oldest revision first, once idle.
void cleanup(Step& s) {
  const auto* limit = api::find_path(s.d, "spec.revisionHistoryLimit");
  if (!limit || !limit->is_number_integer()) return;
  std::vector<Object*> cleanable;
  for (Object* old : s.olds(false))
    if (!api::is_terminating(*old)) cleanable.push_back(old);
  long long diff = static_cast<long long>(cleanable.size()) - limit->get<long long>();
  if (diff <= 0) return;
  std::stable_sort(cleanable.begin(), cleanable.end(), [](const Object* a, const Object* b) {
    if (revision_of(*a) != revision_of(*b)) return revision_of(*a) < revision_of(*b);
    return created_at(*a) < created_at(*b);
  });
  for (long long i = 0; i < diff; ++i) {
    const Object& rs = *cleanable[static_cast<size_t>(i)];
    if (status_count(rs, "replicas") != 0 || spec_replicas(rs) != 0 ||
        api::int_at(rs, "metadata.generation", 1) > status_count(rs, "observedGeneration"))
      continue;
    s.plan.remove.push_back(api::name_of(rs));
  }
}

Object calculate_status(Step& s) {
  long long available = 0, total = 0, actual = 0, ready = 0;
  for (const auto& rs : s.all) {
    available += status_count(rs, "availableReplicas");
    total += spec_replicas(rs);
    actual += status_count(rs, "replicas");
    ready += status_count(rs, "readyReplicas");
  }
  Object status = s.plan.status;
  status["observedGeneration"] = api::int_at(s.d, "metadata.generation", 1);
  status["replicas"] = actual;
  status["updatedReplicas"] = s.new_rs() ? status_count(*s.new_rs(), "replicas") : 0;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = available;
  status["unavailableReplicas"] = std::max(0LL, total - available);
  if (available >= spec_replicas(s.d) - max_unavailable(s.d))
    set_condition(status, "Available", "True", "MinimumReplicasAvailable",
                  "Deployment has minimum availability.", s.now);
  else
    set_condition(status, "Available", "False", "MinimumReplicasUnavailable",
                  "Deployment does not have minimum availability.", s.now);
  for (const char* key :
       {"replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"})
    if (status[key] == 0) status.erase(key);
  return status;
}

bool deployment_complete(const Object& d, const Object& status) {
  const long long r = spec_replicas(d);
  return api::int_at(status, "updatedReplicas") == r && api::int_at(status, "replicas") == r &&
         api::int_at(status, "availableReplicas") == r &&
         api::int_at(status, "observedGeneration") >= api::int_at(d, "metadata.generation", 1);
}

// syncRolloutStatus: the Progressing condition against progressDeadlineSeconds.
void rollout_status(Step& s, double time_scale) {
  const Object old_status = s.d.value("status", json::object());
  Object status = calculate_status(s);
  const long long deadline_s = api::int_at(s.d, "spec.progressDeadlineSeconds", 2147483647);
  const bool has_deadline = deadline_s != 2147483647;
  if (!has_deadline) remove_condition(status, "Progressing");
  const Object* current = find_condition(status, "Progressing");
  const bool complete_already =
      api::int_at(status, "replicas") == api::int_at(status, "updatedReplicas") && current &&
      api::string_at(*current, "reason") == "NewReplicaSetAvailable";
  const std::string rs_name = s.new_rs() ? api::name_of(*s.new_rs()) : "";
  if (has_deadline && !complete_already) {
    auto count = [](const Object& st, const char* k) { return api::int_at(st, k); };
    long long old_old = count(old_status, "replicas") - count(old_status, "updatedReplicas");
    long long new_old = count(status, "replicas") - count(status, "updatedReplicas");
    const bool progressing =
        count(status, "updatedReplicas") > count(old_status, "updatedReplicas") ||
        new_old < old_old || count(status, "readyReplicas") > count(old_status, "readyReplicas") ||
        count(status, "availableReplicas") > count(old_status, "availableReplicas");
    const auto deadline = std::chrono::milliseconds(
        static_cast<long long>(static_cast<double>(deadline_s) * 1000.0 * time_scale));
    bool timed_out = false;
    std::optional<Clock::time_point> since;
    if (current) {
      auto reason = api::string_at(*current, "reason");
      since = api::parse_rfc3339(api::string_at(*current, "lastUpdateTime"));
      if (reason == "ProgressDeadlineExceeded")
        timed_out = true;
      else if (reason != "NewReplicaSetAvailable" && since)
        timed_out = *since + deadline < s.now;
    }
    if (deployment_complete(s.d, status)) {
      if (!rs_name.empty())
        set_condition(status, "Progressing", "True", "NewReplicaSetAvailable",
                      "ReplicaSet \"" + rs_name + "\" has successfully progressed.", s.now);
    } else if (progressing) {
      std::string transition;
      if (current && api::string_at(*current, "status") == "True")
        transition = api::string_at(*current, "lastTransitionTime");
      remove_condition(status, "Progressing");
      set_condition(status, "Progressing", "True", "ReplicaSetUpdated",
                    "ReplicaSet \"" + rs_name + "\" is progressing.", s.now);
      if (!transition.empty())
        for (auto& c : status["conditions"])
          if (api::string_at(c, "type") == "Progressing") c["lastTransitionTime"] = transition;
      s.plan.requeue_after = deadline + std::chrono::milliseconds(100);
    } else if (timed_out) {
      set_condition(status, "Progressing", "False", "ProgressDeadlineExceeded",
                    "ReplicaSet \"" + rs_name + "\" has timed out progressing.", s.now);
    } else if (current && since && api::string_at(*current, "status") == "True") {
      // requeueStuckDeployment: look again when the deadline passes.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*since + deadline - s.now);
      s.plan.requeue_after =
          std::max(left, std::chrono::milliseconds(0)) + std::chrono::milliseconds(100);
    }
  }
  s.plan.status = status;
}

// reconcileNewReplicaSet.
bool reconcile_new(Step& s) {
  Object* fresh = s.new_rs();
  if (!fresh) return false;
  const long long replicas = spec_replicas(s.d);
  if (spec_replicas(*fresh) == replicas) return false;
  if (spec_replicas(*fresh) > replicas) return s.scale(*fresh, replicas);
  return s.scale(*fresh, new_rs_replicas(s.d, s.all, *fresh));
}

// reconcileOldReplicaSets: unhealthy old pods first, then old ones down to minAvailable.
bool reconcile_old(Step& s) {
  auto olds = s.olds(true);
  long long old_count = 0;
  for (Object* o : olds) old_count += spec_replicas(*o);
  if (old_count == 0) return false;
  long long all_count = 0;
  for (const auto& rs : s.all) all_count += spec_replicas(rs);
  const long long min_available = spec_replicas(s.d) - max_unavailable(s.d);
  Object* fresh = s.new_rs();
  const long long new_unavailable =
      fresh ? spec_replicas(*fresh) - status_count(*fresh, "availableReplicas") : 0;
  long long max_scaled_down = all_count - min_available - new_unavailable;
  if (max_scaled_down <= 0) return false;
  bool scaled = false;
  long long cleaned = 0;
  for (Object* o : olds) {
    if (cleaned >= max_scaled_down) break;
    long long reps = spec_replicas(*o), avail = status_count(*o, "availableReplicas");
    if (reps == 0 || reps == avail) continue;
    long long down = std::min(max_scaled_down - cleaned, reps - avail);
    scaled |= s.scale(*o, reps - down);
    cleaned += down;
  }
  long long available = 0;
  for (const auto& rs : s.all) available += status_count(rs, "availableReplicas");
  if (available > min_available) {
    long long total_down = available - min_available, done = 0;
    for (Object* o : s.olds(true)) {
      if (done >= total_down) break;
      long long down = std::min(spec_replicas(*o), total_down - done);
      if (down <= 0) continue;
      scaled |= s.scale(*o, spec_replicas(*o) - down);
      done += down;
    }
  }
  return scaled;
}

void create_new(Step& s, long long replicas, long long revision) {
  Object rs = new_replicaset(s.d, replicas, revision);
  s.plan.create = rs;
  s.all.push_back(rs);
  s.new_index = static_cast<int>(s.all.size()) - 1;
  s.plan.revision = std::to_string(revision);
  s.plan.events.push_back("Scaled up replica set " + api::name_of(rs) + " from 0 to " +
                          std::to_string(replicas));
  set_condition(s.plan.status, "Progressing", "True", "NewReplicaSetCreated",
                "Created new replica set \"" + api::name_of(rs) + "\"", s.now);
}

}  // namespace

std::string pod_template_hash(const Object& pod_template, long long collision_count) {
  std::uint32_t h = 2166136261u;
  auto feed = [&h](unsigned char byte) {
    h ^= byte;
    h *= 16777619u;
  };
  for (unsigned char c : semantic(pod_template).dump()) feed(c);
  if (collision_count > 0)
    for (int i = 0; i < 4; ++i)
      feed(static_cast<unsigned char>((collision_count >> (8 * i)) & 0xff));
  static const std::string alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (char c : std::to_string(h)) out += alphabet[static_cast<unsigned char>(c) % alphabet.size()];
  return out;
}

Fenceposts resolve_fenceposts(const Object& d) {
  if (is_recreate(d)) return {};
  const long long replicas = spec_replicas(d);
  const auto* surge = api::find_path(d, "spec.strategy.rollingUpdate.maxSurge");
  const auto* unavailable = api::find_path(d, "spec.strategy.rollingUpdate.maxUnavailable");
  Fenceposts f;
  f.surge = api::scaled_int_or_percent(surge ? *surge : json("25%"), replicas, true).value_or(0);
  f.unavailable =
      api::scaled_int_or_percent(unavailable ? *unavailable : json("25%"), replicas, false)
          .value_or(0);
  if (f.surge == 0 && f.unavailable == 0) f.unavailable = 1;
  return f;
}

long long max_unavailable(const Object& d) {
  const long long replicas = spec_replicas(d);
  if (is_recreate(d) || replicas == 0) return 0;
  return std::min(resolve_fenceposts(d).unavailable, replicas);
}

bool template_matches(const Object& rs, const Object& d) {
  return semantic(without_hash(rs["spec"].value("template", json::object()))) ==
         semantic(without_hash(d["spec"].value("template", json::object())));
}

long long revision_of(const Object& rs) {
  return int_annotation(rs, kRevisionAnnotation).value_or(0);
}

Object new_replicaset(const Object& d, long long replicas, long long revision) {
  const Object tmpl = d["spec"].value("template", json::object());
  const std::string hash = pod_template_hash(tmpl, api::int_at(d, "status.collisionCount", 0));
  Object rs = {{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}};
  rs["metadata"] = {{"name", api::name_of(d) + "-" + hash},
                    {"namespace", api::namespace_of(d)},
                    {"ownerReferences",
                     {{{"apiVersion", "apps/v1"},
                       {"kind", "Deployment"},
                       {"name", api::name_of(d)},
                       {"uid", api::uid_of(d)},
                       {"controller", true},
                       {"blockOwnerDeletion", true}}}}};
  Object labels =
      tmpl.contains("metadata") ? tmpl["metadata"].value("labels", json::object()) : json::object();
  labels[kPodTemplateHashLabel] = hash;
  rs["metadata"]["labels"] = labels;
  copy_annotations(d, rs);
  auto f = resolve_fenceposts(d);
  set_annotation(rs, kDesiredReplicasAnnotation, std::to_string(spec_replicas(d)));
  set_annotation(rs, kMaxReplicasAnnotation, std::to_string(spec_replicas(d) + f.surge));
  set_annotation(rs, kRevisionAnnotation, std::to_string(revision));
  Object spec = json::object();
  spec["replicas"] = replicas;
  if (auto min_ready = api::int_at(d, "spec.minReadySeconds"); min_ready > 0)
    spec["minReadySeconds"] = min_ready;
  spec["selector"] = d["spec"].value("selector", json::object());
  spec["selector"]["matchLabels"][kPodTemplateHashLabel] = hash;
  spec["template"] = tmpl;
  spec["template"]["metadata"]["labels"] = labels;
  rs["spec"] = spec;
  return rs;
}

long long new_rs_replicas(const Object& d, const std::vector<Object>& all, const Object& new_rs) {
  if (is_recreate(d)) return spec_replicas(d);
  const long long replicas = spec_replicas(d);
  long long current = 0;
  for (const auto& rs : all) current += spec_replicas(rs);
  const long long max_total = replicas + resolve_fenceposts(d).surge;
  const long long now_new = new_rs.is_null() ? 0 : spec_replicas(new_rs);
  if (current >= max_total) return now_new;
  return now_new + std::min(max_total - current, replicas - now_new);
}

DeploymentPlan plan_deployment(const Object& d, const std::vector<Object>& owned,
                               const std::vector<Object>& pods, Clock::time_point now,
                               double time_scale) {
  Step s{d, now, owned, -1, {}, {}};
  s.plan.status = d.value("status", json::object());
  if (!s.plan.status.is_object()) s.plan.status = json::object();
  for (size_t i = 0; i < s.all.size(); ++i)
    if (template_matches(s.all[i], d) &&
        (s.new_index < 0 || created_at(s.all[i]) < created_at(*s.new_rs())))
      s.new_index = static_cast<int>(i);
  long long max_old = 0;
  for (Object* old : s.olds(false)) max_old = std::max(max_old, revision_of(*old));

  const bool paused = api::bool_at(d, "spec.paused");
  if (const Object* c = find_condition(s.plan.status, "Progressing")) {
    auto reason = api::string_at(*c, "reason");
    if (paused && reason != "DeploymentPaused")
      set_condition(s.plan.status, "Progressing", "Unknown", "DeploymentPaused",
                    "Deployment is paused", now);
    if (!paused && reason == "DeploymentPaused")
      set_condition(s.plan.status, "Progressing", "Unknown", "DeploymentResumed",
                    "Deployment is resumed", now);
  } else if (paused) {
    set_condition(s.plan.status, "Progressing", "Unknown", "DeploymentPaused",
                  "Deployment is paused", now);
  }

  auto finish = [&](bool rollout) {
    if (rollout) {
      rollout_status(s, time_scale);
    } else {
      s.plan.status = calculate_status(s);
    }
    for (auto& rs : s.all)
      if (s.changed.count(api::name_of(rs))) s.plan.update.push_back(rs);
    if (!s.plan.create.is_null())
      for (auto& rs : s.all)
        if (api::name_of(rs) == api::name_of(s.plan.create)) s.plan.create = rs;
    // A set created in this step is written whole by create; not twice.
    if (!s.plan.create.is_null())
      s.plan.update.erase(std::remove_if(s.plan.update.begin(), s.plan.update.end(),
                                         [&](const Object& rs) {
                                           return api::name_of(rs) == api::name_of(s.plan.create);
                                         }),
                          s.plan.update.end());
    return s.plan;
  };

  if (api::is_terminating(d)) return finish(false);

  // getNewReplicaSet for an existing one: its revision moves past every old one (a rollback
  // reuses the old set, recording its old number in revision-history).
  if (Object* fresh = s.new_rs()) {
    bool changed = copy_annotations(d, *fresh);
    const long long revision = revision_of(*fresh);
    if (revision <= max_old) {
      const long long next = max_old + 1;
      if (revision > 0) {
        auto history = annotation(*fresh, kRevisionHistoryAnnotation);
        set_annotation(
            *fresh, kRevisionHistoryAnnotation,
            history.empty() ? std::to_string(revision) : history + "," + std::to_string(revision));
      }
      set_annotation(*fresh, kRevisionAnnotation, std::to_string(next));
      changed = true;
    }
    const long long min_ready = api::int_at(d, "spec.minReadySeconds");
    if (api::int_at(*fresh, "spec.minReadySeconds") != min_ready) {
      if (min_ready > 0)
        (*fresh)["spec"]["minReadySeconds"] = min_ready;
      else
        (*fresh)["spec"].erase("minReadySeconds");
      changed = true;
    }
    if (changed) s.changed.insert(api::name_of(*fresh));
    if (annotation(d, kRevisionAnnotation) != annotation(*fresh, kRevisionAnnotation))
      s.plan.revision = annotation(*fresh, kRevisionAnnotation);
    if (!find_condition(s.plan.status, "Progressing"))
      set_condition(s.plan.status, "Progressing", "True", "FoundNewReplicaSet",
                    "Found new replica set \"" + api::name_of(*fresh) + "\"", now);
  }

  bool scaling_event = false;
  for (const auto& rs : s.all)
    if (spec_replicas(rs) > 0)
      if (auto desired = int_annotation(rs, kDesiredReplicasAnnotation);
          desired && *desired != spec_replicas(d))
        scaling_event = true;
  if (paused || scaling_event) {
    scale_deployment(s);
    if (paused) cleanup(s);
    return finish(false);
  }

  if (is_recreate(d)) {
    bool scaled = false;
    for (Object* old : s.olds(true)) scaled |= s.scale(*old, 0);
    if (scaled) return finish(true);
    // oldPodsRunning: an old set still counts pods, or an old pod is not finished yet.
    std::set<std::string> old_uids;
    for (Object* old : s.olds(false)) {
      if (status_count(*old, "replicas") > 0) return finish(true);
      old_uids.insert(api::uid_of(*old));
    }
    for (const auto& pod : pods) {
      auto phase = api::pod_phase(pod);
      if (old_uids.count(api::controller_uid(pod)) && phase != "Succeeded" && phase != "Failed")
        return finish(true);
    }
    if (!s.new_rs()) {
      create_new(s, spec_replicas(d), max_old + 1);
      return finish(true);
    }
    s.scale(*s.new_rs(), spec_replicas(d));
    if (deployment_complete(d, d.value("status", json::object()))) cleanup(s);
    return finish(true);
  }

  if (!s.new_rs()) create_new(s, new_rs_replicas(d, s.all, Object()), max_old + 1);
  if (reconcile_new(s)) return finish(true);
  if (reconcile_old(s)) return finish(true);
  if (deployment_complete(d, d.value("status", json::object()))) cleanup(s);
  return finish(true);
}

}  // namespace kinda::controller
