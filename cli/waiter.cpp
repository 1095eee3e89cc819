#include "cli/waiter.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "api/object.hpp"

namespace kinda::cli {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

Error timed_out() {
  return Error{0, "Timeout", "timed out waiting for the condition", {}};
}

// Whether a watch event settles the wait; sets `done`. An ERROR event (e.g. 410 Gone) ends the
// stream so the caller reads the object afresh.
struct EventCheck {
  const WaitTarget& target;
  const WaitCondition& condition;
  bool done = false;

  bool operator()(std::string_view line) {
    json event = json::parse(line, nullptr, false);
    if (!event.is_object()) return true;
    std::string type = event.value("type", "");
    if (type == "ERROR") return false;
    const json& object = event.value("object", json::object());
    if (api::name_of(object) != target.name) return true;
    done = condition_met(type == "DELETED" ? json() : object, target, condition);
    return !done;
  }
};

}  // namespace

bool condition_met(const json& object, const WaitTarget& target, const WaitCondition& condition) {
  if (condition.for_delete)
    return object.is_null() || (!target.uid.empty() && api::uid_of(object) != target.uid);
  if (object.is_null()) return false;
  const json* conditions = api::find_path(object, "status.conditions");
  if (!conditions || !conditions->is_array()) return false;
  // As kubectl, the condition's name matches whatever its case: condition=complete is a Job's
  // Complete.
  auto same = [](const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const auto& c : *conditions)
    if (same(c.value("type", ""), condition.condition))
      return same(c.value("status", ""), condition.status);
  return false;
}

Status wait_for(const ApiClient& client, const WaitTarget& target, const WaitCondition& condition,
                std::optional<api::Clock::time_point> deadline) {
  const auto& resource = *target.resource;
  while (true) {
    auto current = client.get(resource.path(target.ns, target.name));
    if (!current && current.error().code != 404) return current.error();
    if (!current && !condition.for_delete) return current.error();
    if (condition_met(current ? *current : json(), target, condition)) return Ok{};
    milliseconds remaining = milliseconds::zero();
    if (deadline) {
      remaining = std::chrono::duration_cast<milliseconds>(*deadline - api::Clock::now());
      if (remaining <= milliseconds::zero()) return timed_out();
    }
    std::string path = with_query(resource.path(target.ns),
                                  {{"watch", "true"},
                                   {"resourceVersion", api::resource_version_of(*current)},
                                   {"fieldSelector", "metadata.name=" + target.name}});
    EventCheck check{target, condition};
    Status streamed = client.stream(path, std::ref(check), remaining);
    if (check.done) return Ok{};
    if (!streamed) return is_timeout(streamed.error()) ? timed_out() : streamed.error();
  }
}

}  // namespace kinda::cli
