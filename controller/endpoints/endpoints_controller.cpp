#include "controller/endpoints/endpoints_controller.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "api/endpoint_views.hpp"
#include "api/labels.hpp"
#include "api/object.hpp"
#include "controller/endpoints/endpoint_slice_plan.hpp"
#include "controller/endpoints/endpoints_plan.hpp"

namespace kinda::controller {
namespace {

const api::ResourceInfo& resource_named(const char* plural) {
  return *api::find_resource(plural);
}

std::string key_of(const std::string& ns, const std::string& name) {
  return ns + "/" + name;
}

bool selects(const api::EndpointService& service, const nlohmann::json& pod) {
  return !pod.is_null() && api::has_pod_endpoints(service) &&
         api::selector_matches(service.selector, api::labels_of(pod));
}

constexpr std::chrono::seconds kRetryAfter{1};

}  // namespace

EndpointsController::EndpointsController(boost::asio::io_context& io,
                                         apiserver::ObjectService& objects)
    : objects_(objects), queue_(io, [this](const std::string& key) { sync(key); }) {}

void EndpointsController::start() {
  subscription_ = objects_.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
  for (const auto& service : objects_.store().list("services"))
    queue_.add(key_of(api::namespace_of(service), api::name_of(service)));
}

void EndpointsController::on_event(const storage::WatchEvent& e) {
  const std::string ns = api::namespace_of(e.object);
  if (e.resource == "services") {
    const std::string key = key_of(ns, api::name_of(e.object));
    if (e.type == storage::EventType::Deleted)
      deleted_services_.insert(key);
    else
      deleted_services_.erase(key);
    queue_.add(key);
  } else if (e.resource == "pods") {
    // The services that select the pod now, or did before this change (its labels moved).
    for (const auto& service : objects_.store().list("services", ns)) {
      const api::EndpointService view = api::endpoint_service_of(service);
      if (selects(view, e.object) || selects(view, e.previous)) queue_.add(key_of(ns, view.name));
    }
  } else if (e.resource == "endpoints") {
    // Put back what someone else changed or deleted (a no-op for selector-less services).
    queue_.add(key_of(ns, api::name_of(e.object)));
  } else if (e.resource == "endpointslices") {
    const std::string service = slice_label(e.object, kServiceNameLabel);
    if (!service.empty()) queue_.add(key_of(ns, service));
  }
}

void EndpointsController::sync(const std::string& key) {
  const auto slash = key.find('/');
  const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
  auto service = objects_.store().get("services", ns, name);
  if (!service) {
    // The slices go with their owner (the garbage collector); the Endpoints have no owner.
    if (deleted_services_.erase(key)) {
      auto removed = objects_.remove(resource_named("endpoints"), ns, name, {});
      if (!removed && removed.error().code != 404)
        spdlog::warn("endpoints {}: delete: {}", key, removed.error().message);
    }
    return;
  }
  if (api::is_terminating(*service)) return;
  const std::vector<Object> pods = objects_.store().list("pods", ns);
  const bool endpoints_done = sync_endpoints(*service, pods);
  const bool slices_done = sync_slices(*service, pods);
  if (!endpoints_done || !slices_done) queue_.add_after(key, kRetryAfter);
}

bool EndpointsController::sync_endpoints(const Object& service, const std::vector<Object>& pods) {
  // A service without a selector keeps the Endpoints its user writes.
  if (!api::has_pod_endpoints(api::endpoint_service_of(service))) return true;
  const std::string ns = api::namespace_of(service), name = api::name_of(service);
  const auto& resource = resource_named("endpoints");
  const Object desired = desired_endpoints(service, pods);
  auto current = objects_.store().get("endpoints", ns, name);
  Result<Object> written = Object();
  if (!current) {
    written = objects_.create(resource, ns, desired);
  } else if (auto next = endpoints_update(*current, desired)) {
    written = objects_.update(resource, ns, name, std::move(*next));
  }
  // 403: the namespace is being deleted, and the service with it.
  if (written || written.error().code == 403) return true;
  spdlog::warn("endpoints {}/{}: {}", ns, name, written.error().message);
  return false;
}

bool EndpointsController::sync_slices(const Object& service, const std::vector<Object>& pods) {
  const std::string ns = api::namespace_of(service), name = api::name_of(service);
  const auto& resource = resource_named("endpointslices");
  std::vector<Object> stored;
  for (auto& slice : objects_.store().list("endpointslices", ns))
    if (slice_label(slice, kServiceNameLabel) == name) stored.push_back(std::move(slice));
  const SlicePlan plan = plan_endpoint_slices(service, pods, stored);
  bool done = true;
  auto check = [&](const Result<Object>& result, const char* verb) {
    if (result || result.error().code == 404 || result.error().code == 403) return;
    spdlog::warn("endpointslices of {}/{}: {}: {}", ns, name, verb, result.error().message);
    done = false;
  };
  for (const Object& slice : plan.update)
    check(objects_.update(resource, ns, api::name_of(slice), slice), "update");
  for (const Object& slice : plan.create) check(objects_.create(resource, ns, slice), "create");
  for (const Object& slice : plan.remove)
    check(objects_.remove(resource, ns, api::name_of(slice), {}), "delete");
  return done;
}

}  // namespace kinda::controller
