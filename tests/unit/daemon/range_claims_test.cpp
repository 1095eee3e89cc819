// Pod address ranges claimed across $KINDA_HOMEs: a stopped cluster's range is not given to a new
// cluster of another home, a stale claim (its cluster gone or moved to another range) is not in
// the way, and down --purge gives the range back.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "daemon/cluster_config.hpp"
#include "storage/range_claims.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using kinda::daemon::load_or_create_config;
using kinda::storage::ClusterPaths;
using kinda::storage::RangeClaims;
using kinda::storage::testing::TempDir;

namespace {

// The claims of this test only: XDG_RUNTIME_DIR pointed at a directory of its own.
struct OwnRuntimeDir {
  TempDir dir;
  OwnRuntimeDir() { ::setenv("XDG_RUNTIME_DIR", dir.path().c_str(), 1); }
  ~OwnRuntimeDir() { ::unsetenv("XDG_RUNTIME_DIR"); }
};

}  // namespace

TEST_CASE("a stopped cluster's range stays its own against clusters of other homes") {
  OwnRuntimeDir runtime;
  TempDir home_a, home_b;
  // The same name in two homes: the same first choice of range.
  ClusterPaths a{"twin", home_a.path() / "twin"}, b{"twin", home_b.path() / "twin"};
  auto first = load_or_create_config(a, {});
  REQUIRE(first);
  auto second = load_or_create_config(b, {});
  REQUIRE(second);
  CHECK(second->pod_octet != first->pod_octet);
  // A's next start keeps its range.
  auto again = load_or_create_config(a, {});
  REQUIRE(again);
  CHECK(again->pod_octet == first->pod_octet);

  auto claims = RangeClaims::lock();
  REQUIRE(claims);
  CHECK(claims->held_elsewhere(first->pod_octet, b.root));
  CHECK_FALSE(claims->held_elsewhere(first->pod_octet, a.root));
  CHECK(claims->held_elsewhere(second->pod_octet, a.root));
}

TEST_CASE("stale claims are not in the way; down --purge releases a cluster's claims") {
  OwnRuntimeDir runtime;
  TempDir home_a, home_b;
  ClusterPaths a{"gone", home_a.path() / "gone"}, b{"gone", home_b.path() / "gone"};
  auto first = load_or_create_config(a, {});
  REQUIRE(first);
  {
    auto claims = RangeClaims::lock();
    REQUIRE(claims);
    // Its config now names another range: the claim on the old one is stale.
    nlohmann::json config;
    std::ifstream(a.config()) >> config;
    config["podOctet"] = first->pod_octet + 1;
    std::ofstream(a.config()) << config.dump();
    CHECK_FALSE(claims->held_elsewhere(first->pod_octet, b.root));
    config["podOctet"] = first->pod_octet;
    std::ofstream(a.config()) << config.dump();
    CHECK(claims->held_elsewhere(first->pod_octet, b.root));
  }
  kinda::storage::release_range_claims(a.root);
  {
    auto claims = RangeClaims::lock();
    REQUIRE(claims);
    CHECK_FALSE(claims->held_elsewhere(first->pod_octet, b.root));
    claims->claim(first->pod_octet, a.root);
  }
  std::filesystem::remove_all(a.root);  // deleted by hand: the claim is stale
  auto reused = load_or_create_config(b, {});
  REQUIRE(reused);
  CHECK(reused->pod_octet == first->pod_octet);
}

TEST_CASE("claims live in a private directory") {
  OwnRuntimeDir runtime;
  auto claims = RangeClaims::lock();
  REQUIRE(claims);
  auto dir = runtime.dir.path() / "kinda" / "ranges";
  CHECK(std::filesystem::is_directory(dir));
  CHECK((std::filesystem::status(dir).permissions() & std::filesystem::perms::group_all) ==
        std::filesystem::perms::none);
  CHECK((std::filesystem::status(runtime.dir.path() / "kinda").permissions() &
         std::filesystem::perms::others_all) == std::filesystem::perms::none);
}
