#include "controller/serviceaccount/default_account.hpp"

#include "api/object.hpp"

namespace kinda::controller {

DefaultServiceAccounts::DefaultServiceAccounts(boost::asio::io_context& io,
                                               apiserver::ObjectService& objects)
    : objects_(objects), queue_(io, [this](const std::string& ns) { sync(ns); }) {}

void DefaultServiceAccounts::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) {
    if (e.resource == "serviceaccounts" && e.type == storage::EventType::Deleted &&
        api::name_of(e.object) == "default")
      queue_.add(api::namespace_of(e.object));
  });
}

void DefaultServiceAccounts::sync(const std::string& ns) {
  auto found = objects_.store().get("namespaces", "", ns);
  if (!found || api::is_terminating(*found)) return;
  objects_.ensure_default_service_account(ns);
}

}  // namespace kinda::controller
