// Which pods `drain` evicts and what it says about the rest, in kubectl's words.
#include <catch2/catch.hpp>

#include "cli/drain_plan.hpp"

using kinda::cli::aggregate;
using kinda::cli::DrainFlags;
using kinda::cli::plan_drain;
using nlohmann::json;

namespace {

json owned_pod(const std::string& name, const std::string& controller_kind = "StatefulSet") {
  json p = {{"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", {{"volumes", json::array()}}},
            {"status", {{"phase", "Running"}}}};
  if (!controller_kind.empty())
    p["metadata"]["ownerReferences"] = {
        {{"kind", controller_kind}, {"name", "owner"}, {"uid", "u"}, {"controller", true}}};
  return p;
}

json with_empty_dir(json p) {
  p["spec"]["volumes"].push_back({{"name", "scratch"}, {"emptyDir", json::object()}});
  return p;
}

}  // namespace

TEST_CASE("pods of a StatefulSet are evicted without flags") {
  auto plan = plan_drain({owned_pod("web-0"), owned_pod("web-1")}, {});
  CHECK(plan.evict.size() == 2);
  CHECK(plan.errors.empty());
  CHECK(plan.warnings.empty());
}

TEST_CASE("bare pods need --force, as kubectl says") {
  auto plan = plan_drain({owned_pod("web-0"), owned_pod("bare", ""), owned_pod("bare2", "")}, {});
  REQUIRE(plan.errors.size() == 1);
  CHECK(plan.errors[0] ==
        "cannot delete Pods that declare no controller (use --force to override): default/bare, "
        "default/bare2");
  DrainFlags force;
  force.force = true;
  plan = plan_drain({owned_pod("web-0"), owned_pod("bare", "")}, force);
  CHECK(plan.errors.empty());
  CHECK(plan.evict.size() == 2);
  CHECK(plan.warnings ==
        std::vector<std::string>{"deleting Pods that declare no controller: default/bare"});
}

TEST_CASE("emptyDir data needs --delete-emptydir-data; finished pods always go") {
  auto plan = plan_drain({with_empty_dir(owned_pod("cache-0"))}, {});
  CHECK(plan.errors == std::vector<std::string>{
                           "cannot delete Pods with local storage (use --delete-emptydir-data to "
                           "override): default/cache-0"});
  DrainFlags flags;
  flags.delete_emptydir_data = true;
  CHECK(plan_drain({with_empty_dir(owned_pod("cache-0"))}, flags).evict.size() == 1);
  auto done = owned_pod("job-x", "");
  done["status"]["phase"] = "Succeeded";
  CHECK(plan_drain({done}, {}).evict.size() == 1);
}

TEST_CASE("DaemonSet pods stay; without --ignore-daemonsets drain refuses") {
  auto plan = plan_drain({owned_pod("agent-x", "DaemonSet")}, {});
  CHECK(plan.errors ==
        std::vector<std::string>{"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to "
                                 "ignore): default/agent-x"});
  DrainFlags flags;
  flags.ignore_daemonsets = true;
  plan = plan_drain({owned_pod("agent-x", "DaemonSet")}, flags);
  CHECK(plan.evict.empty());
  CHECK(plan.warnings ==
        std::vector<std::string>{"ignoring DaemonSet-managed Pods: default/agent-x"});
}

TEST_CASE("several errors aggregate in brackets, one stands alone") {
  CHECK(aggregate({"a"}) == "a");
  CHECK(aggregate({"a", "b"}) == "[a, b]");
}
