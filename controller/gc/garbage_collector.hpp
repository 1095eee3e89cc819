// Kubernetes' garbage collector, for every kind: an object whose ownerReferences all name owners
// that are gone (or are being deleted in the foreground) is deleted; references to gone owners
// beside a live one are dropped; an owner deleted in the foreground is finalized once no
// dependent that blocks it is left. Namespaces being deleted are emptied, then finalized.
// Pods of a deleted StatefulSet go highest ordinal first, one at a time, as its scale-down
// would take them; every other kind's dependents go together.
#pragma once

#include "apiserver/registry/object_service.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class GarbageCollector {
 public:
  GarbageCollector(boost::asio::io_context& io, apiserver::ObjectService& objects);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void collect_orphans(const std::string& ns);
  void drain_namespace(const std::string& ns);
  void queue_every_namespace();

  apiserver::ObjectService& objects_;
  client::WorkQueue queue_;  // keys: "owners/<ns>" or "namespace/<ns>"
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
