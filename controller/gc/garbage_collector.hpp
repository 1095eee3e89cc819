// Deletes dependents whose owner is gone (pods of a deleted StatefulSet, claims it owns under a
// whenDeleted=Delete policy, EndpointSlices of a deleted Service) and empties namespaces that are
// being deleted, then finalizes them.
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
  // EndpointSlices whose Service is gone (the only kind kinda creates with a Service owner).
  void collect_service_dependents(const std::string& ns);
  void drain_namespace(const std::string& ns);

  apiserver::ObjectService& objects_;
  client::WorkQueue queue_;  // keys: "owners/<ns>" or "namespace/<ns>"
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
