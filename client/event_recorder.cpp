#include "client/event_recorder.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "api/object.hpp"
#include "api/timestamps.hpp"

namespace kinda::client {

void EventRecorder::record(const api::Object& involved, const std::string& type,
                           const std::string& reason, const std::string& message,
                           const std::string& component) {
  const auto& events = *api::find_resource("events");
  std::string ns = api::namespace_of(involved);
  if (ns.empty()) ns = "default";
  const std::string identity = ns + "\n" + api::uid_of(involved) + "\n" + api::name_of(involved) +
                               "\n" + type + "\n" + reason + "\n" + message + "\n" + component;
  if (auto it = recent_.find(identity); it != recent_.end()) {
    if (auto existing = objects_.store().get("events", ns, it->second)) {
      api::Object next = *existing;
      next["count"] = next.value("count", 1) + 1;
      next["lastTimestamp"] = api::now_rfc3339();
      if (objects_.store().update("events", next)) return;
    }
    recent_.erase(it);
  }
  // Bounded: an old identity that repeats just starts a new Event.
  if (recent_.size() > 4096) recent_.clear();
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  char suffix[24];
  snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(nanos));
  auto now = api::now_rfc3339();
  api::Object event = {{"metadata", {{"name", api::name_of(involved) + suffix}, {"namespace", ns}}},
                       {"involvedObject",
                        {{"kind", involved.value("kind", "")},
                         {"namespace", api::namespace_of(involved)},
                         {"name", api::name_of(involved)},
                         {"uid", api::uid_of(involved)},
                         {"apiVersion", involved.value("apiVersion", "")},
                         {"resourceVersion", api::resource_version_of(involved)}}},
                       {"reason", reason},
                       {"message", message},
                       {"type", type},
                       {"source", {{"component", component}}},
                       {"reportingComponent", component},
                       {"firstTimestamp", now},
                       {"lastTimestamp", now},
                       {"count", 1}};
  spdlog::info("event {}/{} {} {}: {}", ns, api::name_of(involved), type, reason, message);
  auto created = objects_.create(events, ns, std::move(event));
  if (!created)
    spdlog::warn("could not record event: {}", created.error().message);
  else
    recent_[identity] = api::name_of(*created);
}

}  // namespace kinda::client
