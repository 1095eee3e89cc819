// kube-controller-manager's serviceaccounts controller: every namespace that is not being
// deleted has a "default" ServiceAccount; one deleted is made again. (A namespace gets its
// account when it is created, by the object service; this loop restores a deleted one.)
#pragma once

#include "apiserver/registry/object_service.hpp"
#include "client/work_queue.hpp"

namespace kinda::controller {

class DefaultServiceAccounts {
 public:
  DefaultServiceAccounts(boost::asio::io_context& io, apiserver::ObjectService& objects);
  void start();

 private:
  void sync(const std::string& ns);

  apiserver::ObjectService& objects_;
  client::WorkQueue queue_;
  storage::Subscription subscription_;
};

}  // namespace kinda::controller
