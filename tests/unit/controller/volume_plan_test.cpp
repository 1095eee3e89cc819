// The PersistentVolume side of claims: provisioned volumes, binding, static matching, reclaim.
#include <catch2/catch.hpp>

#include "controller/claim/volume_plan.hpp"

namespace {

using namespace kinda::controller;
using nlohmann::json;

json plan_claim(const char* cls, const char* size = "1Gi") {
  json claim = {
      {"metadata", {{"name", "data-web-0"}, {"namespace", "default"}, {"uid", "u-1"}}},
      {"spec",
       {{"accessModes", {"ReadWriteOnce"}}, {"resources", {{"requests", {{"storage", size}}}}}}}};
  if (cls) claim["spec"]["storageClassName"] = cls;
  return claim;
}

json static_volume(const char* name, const char* size, const char* cls = "") {
  return {{"metadata", {{"name", name}}},
          {"spec",
           {{"capacity", {{"storage", size}}},
            {"accessModes", {"ReadWriteOnce"}},
            {"storageClassName", cls},
            {"hostPath", {{"path", "/srv/x"}}}}},
          {"status", {{"phase", "Available"}}}};
}

}  // namespace

TEST_CASE("a provisioned volume is pvc-<uid> at the claim's directory, bound to the claim") {
  json sc = {{"metadata", {{"name", "standard"}}},
             {"provisioner", "rancher.io/local-path"},
             {"reclaimPolicy", "Delete"}};
  json pv = provisioned_volume(plan_claim("standard"), &sc, "/v/default/data-web-0");
  CHECK(pv["metadata"]["name"] == "pvc-u-1");
  CHECK(pv["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"] ==
        "rancher.io/local-path");
  CHECK(pv["spec"]["hostPath"]["path"] == "/v/default/data-web-0");
  CHECK(pv["spec"]["capacity"]["storage"] == "1Gi");
  CHECK(pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete");
  CHECK(pv["spec"]["storageClassName"] == "standard");
  CHECK(pv["spec"]["claimRef"]["name"] == "data-web-0");
  CHECK(pv["spec"]["claimRef"]["uid"] == "u-1");

  json bound = bind_claim(plan_claim("standard"), pv, true);
  CHECK(bound["spec"]["volumeName"] == "pvc-u-1");
  CHECK(bound["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] == "yes");
  CHECK(bound["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes");
  CHECK(bound["metadata"]["annotations"]["volume.kubernetes.io/storage-provisioner"] ==
        "rancher.io/local-path");
  json status = bound_claim_status(pv);
  CHECK(status == json{{"phase", "Bound"},
                       {"accessModes", {"ReadWriteOnce"}},
                       {"capacity", {{"storage", "1Gi"}}}});
}

TEST_CASE("a claim of no class binds the smallest Available static volume that fits") {
  std::vector<json> volumes = {static_volume("big", "10Gi"), static_volume("small", "500Mi"),
                               static_volume("right", "2Gi"),
                               static_volume("classy", "1Gi", "fast")};
  CHECK(matching_volume(plan_claim(""), volumes) == "right");
  json named = plan_claim("");
  named["spec"]["volumeName"] = "big";
  CHECK(matching_volume(named, volumes) == "big");
  volumes[2]["status"]["phase"] = "Released";
  CHECK(matching_volume(plan_claim(""), volumes) == "big");
  CHECK_FALSE(matching_volume(plan_claim("", "20Gi"), volumes));
}

TEST_CASE("a deleted claim's volume: Delete only for what kinda provisioned, Retain keeps it") {
  json pv = provisioned_volume(plan_claim("standard"), nullptr, "/v/default/data-web-0");
  CHECK(reclaim_of(pv, "/v") == Reclaim::kDelete);
  pv["spec"]["persistentVolumeReclaimPolicy"] = "Retain";
  CHECK(reclaim_of(pv, "/v") == Reclaim::kRetain);
  json mine = static_volume("mine", "1Gi");
  mine["spec"]["persistentVolumeReclaimPolicy"] = "Delete";
  CHECK(reclaim_of(mine, "/v") == Reclaim::kFail);
}

TEST_CASE("a bound claim asking for more than its volume has is an expansion") {
  json pv = static_volume("pvc-u-1", "1Gi");
  CHECK_FALSE(expansion_request(plan_claim("x", "1Gi"), pv));
  CHECK(expansion_request(plan_claim("x", "2Gi"), pv) == "2Gi");
  CHECK_FALSE(expansion_request(plan_claim("x", "512Mi"), pv));
}
