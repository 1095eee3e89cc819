#include "storage/store.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/unit/support/store_temp_dir.hpp"

namespace kinda::storage {
namespace {

using testing::TempDir;

Object pod(const std::string& ns, const std::string& name, const std::string& image = "redis") {
  return Object{{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"namespace", ns}, {"name", name}}},
                {"spec", {{"containers", {{{"name", "main"}, {"image", image}}}}}}};
}

Object cluster_object(const std::string& name) {
  return Object{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
}

std::unique_ptr<Store> open_store(const TempDir& dir) {
  auto store = Store::open(dir.db());
  REQUIRE(store.ok());
  return std::move(*store);
}

std::string rv(const Object& object) {
  return object["metadata"]["resourceVersion"].get<std::string>();
}

std::vector<std::string> names(const std::vector<Object>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects)
    out.push_back(o["metadata"].value("namespace", "") + "/" +
                  o["metadata"]["name"].get<std::string>());
  return out;
}

TEST_CASE("create files an object under its namespace and name and stamps rv, uid and timestamp") {
  TempDir dir;
  auto store = open_store(dir);
  CHECK(store->revision() == 0);

  auto created = store->create("pods", pod("default", "web-0"));
  REQUIRE(created.ok());
  CHECK(rv(*created) == "1");
  CHECK((*created)["metadata"]["uid"].get<std::string>().size() == 36);
  CHECK((*created)["metadata"].contains("creationTimestamp"));
  CHECK(store->revision() == 1);

  auto fetched = store->get("pods", "default", "web-0");
  REQUIRE(fetched.ok());
  CHECK(*fetched == *created);
  CHECK(store->get("pods", "other", "web-0").error().code == 404);
  CHECK(store->get("services", "default", "web-0").error().code == 404);
}

TEST_CASE("create keeps a uid the caller chose") {
  TempDir dir;
  auto store = open_store(dir);
  auto object = pod("default", "web-0");
  object["metadata"]["uid"] = "fixed-uid";
  auto created = store->create("pods", object);
  REQUIRE(created.ok());
  CHECK((*created)["metadata"]["uid"] == "fixed-uid");
}

TEST_CASE("create of a taken key fails with AlreadyExists and commits nothing") {
  TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store->create("pods", pod("default", "web-0")).ok());

  auto again = store->create("pods", pod("default", "web-0", "postgres"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == 409);
  CHECK(again.error().reason == "AlreadyExists");
  CHECK(again.error().message == "pods \"web-0\" already exists");
  CHECK(store->revision() == 1);
  CHECK((*store->get("pods", "default", "web-0"))["spec"]["containers"][0]["image"] == "redis");

  // The same name in another namespace or resource is a different key.
  CHECK(store->create("pods", pod("other", "web-0")).ok());
  CHECK(store->create("services", pod("default", "web-0")).ok());
}

TEST_CASE("an object without metadata.name is a BadRequest") {
  TempDir dir;
  auto store = open_store(dir);
  Object nameless = pod("default", "");
  auto created = store->create("pods", nameless);
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().code == 400);
  CHECK(store->create("pods", Object{{"kind", "Pod"}}).error().code == 400);
  CHECK(store->update("pods", Object::array()).error().code == 400);
  CHECK(store->revision() == 0);
}

TEST_CASE("list orders by namespace then name and filters by namespace") {
  TempDir dir;
  auto store = open_store(dir);
  for (const auto& [ns, name] : std::vector<std::pair<std::string, std::string>>{
           {"zeta", "a"}, {"alpha", "web-1"}, {"alpha", "web-0"}, {"beta", "db-0"}})
    REQUIRE(store->create("pods", pod(ns, name)).ok());
  REQUIRE(store->create("namespaces", cluster_object("alpha")).ok());
  REQUIRE(store->create("namespaces", cluster_object("beta")).ok());

  CHECK(names(store->list("pods")) ==
        std::vector<std::string>{"alpha/web-0", "alpha/web-1", "beta/db-0", "zeta/a"});
  CHECK(names(store->list("pods", "alpha")) ==
        std::vector<std::string>{"alpha/web-0", "alpha/web-1"});
  CHECK(store->list("pods", "missing").empty());
  CHECK(names(store->list("namespaces")) == std::vector<std::string>{"/alpha", "/beta"});
  CHECK(store->list("services").empty());
}

TEST_CASE("update bumps resourceVersion and keeps the object's identity") {
  TempDir dir;
  auto store = open_store(dir);
  auto created = store->create("pods", pod("default", "web-0"));
  REQUIRE(created.ok());
  REQUIRE(store->create("pods", pod("default", "web-1")).ok());

  auto change = pod("default", "web-0", "postgres");  // no resourceVersion: unconditional
  auto updated = store->update("pods", change);
  REQUIRE(updated.ok());
  CHECK(rv(*updated) == "3");
  CHECK((*updated)["metadata"]["uid"] == (*created)["metadata"]["uid"]);
  CHECK((*updated)["metadata"]["creationTimestamp"] == (*created)["metadata"]["creationTimestamp"]);
  CHECK((*store->get("pods", "default", "web-0"))["spec"]["containers"][0]["image"] == "postgres");

  auto next = *updated;  // carries the current resourceVersion: conditional, and it matches
  next["status"] = {{"phase", "Running"}};
  auto again = store->update("pods", next);
  REQUIRE(again.ok());
  CHECK(rv(*again) == "4");
}

TEST_CASE("update with a stale resourceVersion fails with Conflict and changes nothing") {
  TempDir dir;
  auto store = open_store(dir);
  auto created = store->create("statefulsets", pod("default", "web"));
  REQUIRE(created.ok());
  auto first = *created;
  first["spec"]["replicas"] = 3;
  REQUIRE(store->update("statefulsets", first).ok());

  auto stale = *created;  // still at resourceVersion 1
  stale["spec"]["replicas"] = 5;
  auto result = store->update("statefulsets", stale);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == 409);
  CHECK(result.error().reason == "Conflict");
  CHECK(result.error().message ==
        "Operation cannot be fulfilled on statefulsets \"web\": the object has been modified; "
        "please apply your changes to the latest version and try again");
  CHECK(store->revision() == 2);
  CHECK((*store->get("statefulsets", "default", "web"))["spec"]["replicas"] == 3);
}

TEST_CASE("update of a missing object is NotFound") {
  TempDir dir;
  auto store = open_store(dir);
  auto result = store->update("pods", pod("default", "ghost"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == 404);
  CHECK(result.error().message == "pods \"ghost\" not found");
  CHECK(store->revision() == 0);
}

TEST_CASE("remove returns the last state stamped with the deletion's revision") {
  TempDir dir;
  auto store = open_store(dir);
  auto created = store->create("pods", pod("default", "web-0"));
  REQUIRE(created.ok());

  SECTION("unconditionally") {
    auto removed = store->remove("pods", "default", "web-0");
    REQUIRE(removed.ok());
    CHECK(rv(*removed) == "2");
    CHECK((*removed)["spec"] == (*created)["spec"]);
    CHECK(store->get("pods", "default", "web-0").error().code == 404);
    CHECK(store->list("pods").empty());
    CHECK(store->remove("pods", "default", "web-0").error().code == 404);

    auto events = store->events_since(1);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 1);
    CHECK((*events)[0].type == EventType::Deleted);
    CHECK((*events)[0].object == *removed);
  }
  SECTION("with a matching resourceVersion") {
    CHECK(store->remove("pods", "default", "web-0", "1").ok());
  }
  SECTION("with a stale resourceVersion it is a Conflict") {
    auto removed = store->remove("pods", "default", "web-0", "7");
    REQUIRE_FALSE(removed.ok());
    CHECK(removed.error().code == 409);
    CHECK(store->get("pods", "default", "web-0").ok());
    CHECK(store->revision() == 1);
  }
}

TEST_CASE("events_since returns later changes in revision order, optionally of one resource") {
  TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store->create("pods", pod("default", "web-0")).ok());              // 1
  REQUIRE(store->create("services", pod("default", "web")).ok());            // 2
  REQUIRE(store->update("pods", pod("default", "web-0", "postgres")).ok());  // 3
  REQUIRE(store->remove("services", "default", "web").ok());                 // 4
  REQUIRE(store->create("pods", pod("default", "web-1")).ok());              // 5

  auto all = store->events_since(0);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 5);
  std::vector<EventType> types;
  for (size_t i = 0; i < all->size(); ++i) {
    CHECK((*all)[i].revision == static_cast<int64_t>(i + 1));
    CHECK(rv((*all)[i].object) == std::to_string(i + 1));
    types.push_back((*all)[i].type);
  }
  CHECK(types == std::vector<EventType>{EventType::Added, EventType::Added, EventType::Modified,
                                        EventType::Deleted, EventType::Added});
  CHECK((*all)[1].resource == "services");

  auto pods = store->events_since(1, "pods");
  REQUIRE(pods.ok());
  REQUIRE(pods->size() == 2);
  CHECK((*pods)[0].revision == 3);
  CHECK((*pods)[1].revision == 5);

  auto none = store->events_since(store->revision());
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK(std::string(to_string(EventType::Deleted)) == "DELETED");
}

TEST_CASE("events_since is Gone for revisions the compacted log no longer holds") {
  TempDir dir;
  auto store = open_store(dir);
  store->set_log_retention(10);
  REQUIRE(store->create("configmaps", pod("default", "counter")).ok());
  for (int i = 0; i < 49; ++i) REQUIRE(store->update("configmaps", pod("default", "counter")).ok());
  REQUIRE(store->revision() == 50);

  auto old = store->events_since(5);
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().code == 410);
  CHECK(old.error().reason == "Expired");
  CHECK_THAT(old.error().message, Catch::Matchers::StartsWith("too old resource version: 5 ("));

  // The newest `retention` revisions are always there, contiguous.
  auto recent = store->events_since(store->revision() - 10);
  REQUIRE(recent.ok());
  REQUIRE(recent->size() == 10);
  for (size_t i = 0; i < recent->size(); ++i)
    CHECK((*recent)[i].revision == store->revision() - 9 + static_cast<int64_t>(i));
}

TEST_CASE("objects and the revision log survive closing and reopening the store") {
  TempDir dir;
  {
    auto store = open_store(dir);
    REQUIRE(store->create("pods", pod("default", "web-0")).ok());
    REQUIRE(store->create("pods", pod("default", "web-1")).ok());
    REQUIRE(store->remove("pods", "default", "web-0").ok());
  }
  auto store = open_store(dir);
  CHECK(store->revision() == 3);
  CHECK(names(store->list("pods")) == std::vector<std::string>{"default/web-1"});
  auto events = store->events_since(0);
  REQUIRE(events.ok());
  CHECK(events->size() == 3);

  auto created = store->create("pods", pod("default", "web-2"));
  REQUIRE(created.ok());
  CHECK(rv(*created) == "4");
}

TEST_CASE("two stores on one file share one revision sequence") {
  TempDir dir;
  auto first = open_store(dir);
  auto second = open_store(dir);
  REQUIRE(first->create("pods", pod("default", "a")).ok());
  auto b = second->create("pods", pod("default", "b"));
  REQUIRE(b.ok());
  CHECK(rv(*b) == "2");
  CHECK(first->revision() == 2);
  CHECK(first->get("pods", "default", "b").ok());
  CHECK(second->create("pods", pod("default", "a")).error().code == 409);
}

TEST_CASE("subscribers see every commit in revision order, including writes made by listeners") {
  TempDir dir;
  auto store = open_store(dir);
  std::vector<int64_t> first_seen, second_seen;
  auto first = store->subscribe([&](const WatchEvent& event) {
    first_seen.push_back(event.revision);
    // A controller reacting to a pod by writing another object: its change must come after.
    if (event.resource == "pods" && event.type == EventType::Added)
      REQUIRE(store->create("events", pod("default", "ev-" + std::to_string(event.revision))).ok());
  });
  auto second =
      store->subscribe([&](const WatchEvent& event) { second_seen.push_back(event.revision); });

  REQUIRE(store->create("pods", pod("default", "web-0")).ok());
  REQUIRE(store->create("pods", pod("default", "web-1")).ok());
  CHECK(first_seen == std::vector<int64_t>{1, 2, 3, 4});
  CHECK(second_seen == std::vector<int64_t>{1, 2, 3, 4});
}

TEST_CASE("a subscription made while a change is being delivered starts after that change") {
  TempDir dir;
  auto store = open_store(dir);
  std::vector<int64_t> late_seen;
  Subscription late;
  auto early = store->subscribe([&](const WatchEvent& event) {
    if (event.revision == 1)
      late = store->subscribe([&](const WatchEvent& seen) { late_seen.push_back(seen.revision); });
  });
  REQUIRE(store->create("pods", pod("default", "web-0")).ok());
  REQUIRE(store->create("pods", pod("default", "web-1")).ok());
  CHECK(late_seen == std::vector<int64_t>{2});
}

TEST_CASE("a failed write reaches no subscriber") {
  TempDir dir;
  auto store = open_store(dir);
  REQUIRE(store->create("pods", pod("default", "web-0")).ok());
  int calls = 0;
  auto subscription = store->subscribe([&](const WatchEvent&) { ++calls; });
  CHECK_FALSE(store->create("pods", pod("default", "web-0")).ok());
  CHECK_FALSE(store->update("pods", pod("default", "missing")).ok());
  CHECK(calls == 0);
}

TEST_CASE("a listener can end its own and other subscriptions while being called") {
  TempDir dir;
  auto store = open_store(dir);
  std::vector<std::string> calls;
  Subscription self, other;
  self = store->subscribe([&](const WatchEvent& event) {
    calls.push_back("self@" + std::to_string(event.revision));
    self = Subscription();  // ends itself while running
    other = Subscription();
  });
  other = store->subscribe([&](const WatchEvent&) { calls.push_back("other"); });

  REQUIRE(store->create("pods", pod("default", "web-0")).ok());
  REQUIRE(store->create("pods", pod("default", "web-1")).ok());
  CHECK(calls == std::vector<std::string>{"self@1"});
}

TEST_CASE("a subscription stops delivery when destroyed and follows its owner when moved") {
  TempDir dir;
  auto store = open_store(dir);
  int calls = 0;
  Subscription kept;
  {
    auto subscription = store->subscribe([&](const WatchEvent&) { ++calls; });
    REQUIRE(store->create("pods", pod("default", "a")).ok());
    kept = std::move(subscription);
  }
  REQUIRE(store->create("pods", pod("default", "b")).ok());
  CHECK(calls == 2);
  kept = Subscription();
  REQUIRE(store->create("pods", pod("default", "c")).ok());
  CHECK(calls == 2);
}

}  // namespace
}  // namespace kinda::storage
