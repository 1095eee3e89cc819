// config.json is read only when the daemon starts: an edit made while it runs is reported by key,
// and a restart (which records what it applied) clears the report.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "daemon/cluster_config.hpp"
#include "storage/config_drift.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

using kinda::daemon::load_or_create_config;
using kinda::storage::ClusterPaths;
using kinda::storage::config_changes_since_start;
using kinda::storage::config_drift_notice;
using kinda::storage::record_started_config;
using kinda::storage::testing::TempDir;
using nlohmann::json;

namespace {

void edit_config(const ClusterPaths& paths, const std::function<void(json&)>& change) {
  json config;
  std::ifstream(paths.config()) >> config;
  change(config);
  std::ofstream(paths.config(), std::ios::trunc) << config.dump(2);
}

}  // namespace

TEST_CASE("edits of config.json after the daemon started are named by key until a restart") {
  TempDir home;
  ClusterPaths paths{"drift", home.path() / "drift"};
  REQUIRE(load_or_create_config(paths, {}));
  std::filesystem::create_directories(paths.run());
  CHECK(config_changes_since_start(paths).empty());  // no daemon has recorded anything yet
  REQUIRE(record_started_config(paths));
  CHECK(config_changes_since_start(paths).empty());
  CHECK(config_drift_notice(paths).empty());

  edit_config(paths, [](json& c) {
    c["images"]["myapp"] = {{"command", {"python3"}}};
    c["dns"]["ttl"] = 30;
    c.erase("containerLogMaxFiles");
  });
  CHECK(config_changes_since_start(paths) ==
        std::vector<std::string>{"containerLogMaxFiles", "dns", "images"});
  auto notice = config_drift_notice(paths);
  CHECK_THAT(notice, Catch::Contains("(containerLogMaxFiles, dns, images)"));
  CHECK_THAT(notice, Catch::Contains("kinda down"));

  // The next start reads and rewrites it, then records it: nothing left to report.
  REQUIRE(load_or_create_config(paths, {}));
  REQUIRE(record_started_config(paths));
  CHECK(config_changes_since_start(paths).empty());
}

TEST_CASE("a config.json broken after the start is reported as such") {
  TempDir home;
  ClusterPaths paths{"broken", home.path() / "broken"};
  REQUIRE(load_or_create_config(paths, {}));
  std::filesystem::create_directories(paths.run());
  REQUIRE(record_started_config(paths));
  std::ofstream(paths.config(), std::ios::trunc) << "{ not json";
  CHECK(config_changes_since_start(paths) == std::vector<std::string>{"(not valid JSON)"});
}
