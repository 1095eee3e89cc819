#include <unistd.h>

#include <catch2/catch.hpp>

#include "runtime/isolation.hpp"
#include "tests/unit/support/runtime_unprivileged.hpp"

using namespace kinda::runtime;
using namespace kinda::runtime::testing;

TEST_CASE("isolation modes have names for kinda status, and none says why") {
  CHECK(std::string(to_string(Isolation::Namespaces)) == "namespaces");
  CHECK(std::string(to_string(Isolation::UserNamespaces)) == "namespaces-userns");
  CHECK(std::string(to_string(Isolation::None)) == "none");
  CHECK(to_string(IsolationSupport{Isolation::UserNamespaces, "not root"}) == "namespaces-userns");
  CHECK(to_string(IsolationSupport{Isolation::None, "user.max_user_namespaces is 0"}) ==
        "none (user.max_user_namespaces is 0)");
  CHECK(has_pod_namespaces(Isolation::Namespaces));
  CHECK(has_pod_namespaces(Isolation::UserNamespaces));
  CHECK_FALSE(has_pod_namespaces(Isolation::None));
}

TEST_CASE("root gets plain namespaces from both probes") {
  if (::geteuid() != 0) {
    WARN("not root: skipping the privileged probe");
    return;
  }
  CHECK(probe_isolation().mode == Isolation::Namespaces);
  CHECK(detect_isolation() == Isolation::Namespaces);
}

TEST_CASE(
    "an unprivileged user gets namespaces inside a user namespace where the kernel allows "
    "them, and none with the reason otherwise") {
  const std::string shown = unprivileged_isolation();
  if (shown.rfind("none", 0) == 0) {
    WARN("unprivileged user namespaces are not allowed here: " << shown);
    CHECK_THAT(shown, Catch::Contains("user namespace"));
    return;
  }
  CHECK(shown == "namespaces-userns\n");
  if (::geteuid() != 0) CHECK(detect_isolation() == Isolation::None);
}
