// The garbage collector's verdict on one dependent, as Kubernetes' attemptToDeleteItem gives it:
// kept while a live owner names it, deleted once every owner is gone, foreground when one waits.
#include <catch2/catch.hpp>

#include "controller/gc/owner_judgement.hpp"

using kinda::controller::judge;
using kinda::controller::Owners;
using kinda::controller::Verdict;
using nlohmann::json;

namespace {

json owner_ref(const std::string& kind, const std::string& uid,
               const std::string& api_version = "apps/v1") {
  return {{"apiVersion", api_version}, {"kind", kind}, {"name", "x"}, {"uid", uid}};
}

}  // namespace

TEST_CASE("a dependent whose owner is live is kept") {
  Owners owners{{"rs-1"}, {}};
  auto j = judge(json::array({owner_ref("ReplicaSet", "rs-1")}), owners);
  CHECK(j.verdict == Verdict::kKeep);
}

TEST_CASE("a dependent whose every owner is gone is deleted in the background") {
  auto j =
      judge(json::array({owner_ref("StatefulSet", "sts-1"), owner_ref("Service", "svc-1", "v1")}),
            Owners{});
  CHECK(j.verdict == Verdict::kDelete);
  CHECK_FALSE(j.owner_waiting);
}

TEST_CASE("an owner deleted in the foreground takes its dependents in the foreground") {
  Owners owners{{}, {"deploy-1"}};
  auto j = judge(json::array({owner_ref("StatefulSet", "deploy-1")}), owners);
  CHECK(j.verdict == Verdict::kDelete);
  CHECK(j.owner_waiting);
}

TEST_CASE("references to gone or waiting owners beside a live one are dropped") {
  Owners owners{{"sts-1"}, {"sts-2"}};
  auto j = judge(json::array({owner_ref("StatefulSet", "gone"), owner_ref("StatefulSet", "sts-1"),
                              owner_ref("StatefulSet", "sts-2")}),
                 owners);
  CHECK(j.verdict == Verdict::kDropReferences);
  REQUIRE(j.kept.size() == 1);
  CHECK(j.kept[0]["uid"] == "sts-1");
}

TEST_CASE("an owner of a kind kinda does not serve is never taken for gone") {
  auto j = judge(json::array({owner_ref("EtcdCluster", "e-1", "etcd.database.coreos.com/v1")}),
                 Owners{});
  CHECK(j.verdict == Verdict::kKeep);
}
