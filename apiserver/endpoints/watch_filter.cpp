#include "apiserver/endpoints/watch_filter.hpp"

#include "api/object.hpp"

namespace kinda::apiserver {

std::optional<FilteredEvent> filter_event(storage::EventType type, const nlohmann::json& object,
                                          const nlohmann::json& previous,
                                          const std::function<bool(const nlohmann::json&)>& match) {
  using storage::EventType;
  // A deleted object's last state is the object itself (stamped with the deletion's version).
  if (type == EventType::Deleted) {
    if (match(object)) return FilteredEvent{"DELETED", object};
    return std::nullopt;
  }
  const bool now = match(object);
  if (type == EventType::Added) {
    if (now) return FilteredEvent{"ADDED", object};
    return std::nullopt;
  }
  const bool before = previous.is_null() ? now : match(previous);
  if (now && before) return FilteredEvent{"MODIFIED", object};
  if (now) return FilteredEvent{"ADDED", object};
  if (!before) return std::nullopt;
  nlohmann::json gone = previous;
  gone["metadata"]["resourceVersion"] = api::resource_version_of(object);
  return FilteredEvent{"DELETED", std::move(gone)};
}

}  // namespace kinda::apiserver
