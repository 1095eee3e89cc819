// Keeps the v1 Endpoints and discovery.k8s.io/v1 EndpointSlices of every Service that selects
// pods (kube-controller-manager's endpoint and endpointslice controllers in one loop): woken by
// changes to services, to the pods they select or selected, and to the objects it maintains,
// it writes only what differs from the plans of endpoints_plan and endpoint_slice_plan.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "apiserver/registry/object_service.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class EndpointsController {
 public:
  EndpointsController(boost::asio::io_context& io, apiserver::ObjectService& objects);
  void start();

 private:
  void on_event(const storage::WatchEvent& event);
  void sync(const std::string& key);  // "<namespace>/<service>"
  bool sync_endpoints(const apiserver::Object& service, const std::vector<apiserver::Object>& pods);
  bool sync_slices(const apiserver::Object& service, const std::vector<apiserver::Object>& pods);

  apiserver::ObjectService& objects_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
  // Services seen deleted whose Endpoints are still to go. Only those: an Endpoints object
  // without a Service may be a user's, written before the service that will use it.
  std::set<std::string> deleted_services_;
};

}  // namespace kinda::controller
