#include <catch2/catch.hpp>

#include "api/resources.hpp"

using kinda::api::find_resource;

TEST_CASE("resources are found by plural, singular, short name and kind") {
  REQUIRE(find_resource("sts")->plural == "statefulsets");
  REQUIRE(find_resource("StatefulSet")->plural == "statefulsets");
  REQUIRE(find_resource("po")->plural == "pods");
  REQUIRE(find_resource("pvc")->kind == "PersistentVolumeClaim");
  REQUIRE(find_resource("widgets") == nullptr);
}

TEST_CASE("resource paths follow the Kubernetes layout") {
  REQUIRE(find_resource("sts")->path("default", "web") ==
          "/apis/apps/v1/namespaces/default/statefulsets/web");
  REQUIRE(find_resource("pods")->path("") == "/api/v1/pods");
  REQUIRE(find_resource("ns")->path("x", "kube-system") == "/api/v1/namespaces/kube-system");
}
