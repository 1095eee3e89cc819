// Records core/v1 Events about objects ("Created container redis", "create Pod redis-0 in
// StatefulSet redis successful"), the trail `kinda describe` and `kinda get events` show. Like the
// client-go event correlator, a repeat of the same event about the same object bumps the existing
// Event's count and lastTimestamp instead of adding another object.
#pragma once

#include <map>
#include <string>

#include "api/object.hpp"
#include "apiserver/registry/object_service.hpp"

namespace kinda::client {

class EventRecorder {
 public:
  explicit EventRecorder(apiserver::ObjectService& objects) : objects_(objects) {}

  // type is "Normal" or "Warning"; component is e.g. "kubelet" or "statefulset-controller".
  void record(const api::Object& involved, const std::string& type, const std::string& reason,
              const std::string& message, const std::string& component);

 private:
  apiserver::ObjectService& objects_;
  // (namespace, involved uid, type, reason, message, component) → the Event's name.
  std::map<std::string, std::string> recent_;
};

}  // namespace kinda::client
