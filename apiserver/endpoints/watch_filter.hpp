// Which event a filtered watch (label or field selector) sends for a change, as the API server's
// watch cache decides: an object that comes to match is ADDED, one that stays MODIFIED, and one
// that stops matching DELETED, carrying its previous state with the change's resourceVersion.
// Pure, so tests call it directly.
#pragma once

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "storage/store.hpp"

namespace kinda::apiserver {

struct FilteredEvent {
  const char* type;  // "ADDED", "MODIFIED", "DELETED"
  nlohmann::json object;
};

// `previous` is the object before the change, null when unknown or for a creation (then only
// the new state decides: matching means ADDED for a creation, MODIFIED otherwise).
std::optional<FilteredEvent> filter_event(storage::EventType type, const nlohmann::json& object,
                                          const nlohmann::json& previous,
                                          const std::function<bool(const nlohmann::json&)>& match);

}  // namespace kinda::apiserver
