#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "shim/rotating_log.hpp"
#include "tests/unit/support/store_temp_dir.hpp"

namespace fs = std::filesystem;
using kinda::shim::RotatingLog;
using kinda::storage::testing::TempDir;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("a log rotates by size, keeping whole lines and at most max_files files") {
  TempDir dir;
  auto path = (dir.path() / "0.log").string();
  RotatingLog log(path, 100, 3);
  std::string all;
  for (int i = 0; i < 40; ++i) {
    auto line = "line " + std::to_string(i) + " of the container\n";  // ~22 bytes
    all += line;
  }
  log.write(all.data(), all.size());  // one large write, as a pipe read delivers it
  REQUIRE(fs::exists(path));
  REQUIRE(fs::exists(path + ".1"));
  REQUIRE(fs::exists(path + ".2"));
  REQUIRE_FALSE(fs::exists(path + ".3"));
  for (const std::string& p : {path, path + ".1", path + ".2"}) {
    auto text = slurp(p);
    CHECK(text.size() <= 100);
    CHECK(text.back() == '\n');
  }
  // The newest lines are in the live file, the ones before them in .1.
  CHECK(slurp(path).find("line 39 of the container\n") != std::string::npos);
  CHECK(all.find(slurp(path + ".1") + slurp(path)) != std::string::npos);
}

TEST_CASE("a line longer than a whole file is split rather than dropped") {
  TempDir dir;
  auto path = (dir.path() / "0.log").string();
  RotatingLog log(path, 10, 5);
  std::string line(25, 'x');
  line += "\n";
  log.write(line.data(), line.size());
  CHECK(slurp(path + ".2") + slurp(path + ".1") + slurp(path) == line);
}

#include "shim/shim_spec.hpp"

TEST_CASE("a shim spec survives the round trip through its file") {
  TempDir dir;
  kinda::shim::ShimSpec spec;
  spec.key = "default/web-0";
  spec.uid = "u-1";
  spec.pod_dir = dir.path().string();
  spec.cluster_root = "/tmp/c";
  spec.stop_grace_ms = 1234;
  spec.log_max_bytes = 4096;
  spec.cgroup_parent = "kinda-x/u-1";
  REQUIRE(kinda::shim::write_shim_spec(spec));
  auto back = kinda::shim::read_shim_spec(spec.spec_path());
  REQUIRE(back);
  CHECK(back->key == "default/web-0");
  CHECK(back->stop_grace_ms == 1234);
  CHECK(back->log_max_bytes == 4096);
  CHECK(back->cgroup_parent == "kinda-x/u-1");
  CHECK(back->socket_path() == dir.path().string() + "/shim.sock");
}

TEST_CASE("a shim spec without its identity is refused") {
  TempDir dir;
  auto path = dir.path() / "shim.json";
  std::ofstream(path) << R"({"podDir": "/x"})";
  CHECK_FALSE(kinda::shim::read_shim_spec(path.string()));
}
