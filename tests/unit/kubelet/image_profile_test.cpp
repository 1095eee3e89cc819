#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "kubelet/builtin_images.hpp"
#include "kubelet/container_launch.hpp"
#include "kubelet/image_catalog.hpp"
#include "kubelet/image_profile.hpp"

namespace {

using namespace kinda::kubelet;
using nlohmann::json;
namespace fs = std::filesystem;

const char* kPostgresLike = R"(
# a comment, as profiles document their image
names: [postgres, docker.io/library/postgres]
entrypoint: [docker-entrypoint.sh]
cmd: [postgres]
user: ""
workingDir: /
ports: ["5432/tcp"]
env:
  - {name: PGDATA, value: /var/lib/postgresql/data}
  - {name: LANG, value: en_US.utf8}
programs:
  - {name: postgres, package: postgresql, paths: ["/usr/lib/postgresql/*/bin/postgres"]}
files:
  - {path: /etc/app.conf, source: app.conf}
  - {path: /usr/local/bin/tool, program: tool}
  - {path: /var/run/postgresql, emptyDir: true}
)";

ImageProfile profile_from(const std::string& text, const std::set<std::string>& files = {}) {
  auto parsed = parse_image_profile(text, "pg", "/profiles/pg", files);
  if (!parsed) FAIL(parsed.error().message);
  return *parsed;
}

std::string profile_error(const std::string& text, const std::set<std::string>& files = {},
                          const std::string& name = "pg") {
  auto parsed = parse_image_profile(text, name, "/profiles/" + name, files);
  REQUIRE_FALSE(parsed);
  return parsed.error().message;
}

// A launch of `image` with the given container fields, through `images`.
std::variant<ContainerLaunch, LaunchProblem> launch_of(const ImageMap& images, json fields) {
  json pod = {{"metadata", {{"name", "db-0"}, {"namespace", "default"}, {"uid", "u"}}},
              {"spec", {{"containers", json::array()}}}};
  json container = {{"name", "db"}, {"image", "postgres:17"}};
  container.update(fields);
  LaunchContext ctx;
  ctx.images = &images;
  ctx.config_path = "/k/config.json";
  ctx.profile_dirs = {"/k/images", "/home/u/.config/kinda/images"};
  ctx.host_path = "/usr/bin:/bin";
  return build_launch(pod, container, ctx);
}

std::vector<std::string> argv_of(const ImageMap& images, json fields) {
  auto result = launch_of(images, fields);
  if (auto* problem = std::get_if<LaunchProblem>(&result)) FAIL(problem->message);
  return std::get<ContainerLaunch>(result).argv;
}

std::string env_of(const ContainerLaunch& launch, const std::string& name) {
  for (const auto& entry : launch.env)
    if (entry.rfind(name + "=", 0) == 0) return entry.substr(name.size() + 1);
  return "<unset>";
}

ImageMap postgres_images() {
  ImageMap images;
  auto& e = images["postgres"];
  e.entrypoint = {"/profiles/pg/docker-entrypoint.sh"};
  e.cmd = {"postgres"};
  e.env = {{"PGDATA", "/var/lib/postgresql/data"}, {"PG_MAJOR", "17"}};
  return images;
}

struct ProfileTempDir {
  fs::path path;
  ProfileTempDir() {
    char pattern[] = "/tmp/kinda-profiles-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~ProfileTempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const fs::path& relative, const std::string& text) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative) << text;
  }
};

}  // namespace

TEST_CASE("a profile parses every field of the format") {
  auto p = profile_from(kPostgresLike, {"docker-entrypoint.sh", "app.conf"});
  REQUIRE(p.names == std::vector<std::string>{"postgres", "docker.io/library/postgres"});
  REQUIRE(p.entrypoint == std::vector<std::string>{"docker-entrypoint.sh"});
  REQUIRE(p.cmd == std::vector<std::string>{"postgres"});
  REQUIRE(p.working_dir == "/");
  REQUIRE(p.ports == std::vector<std::string>{"5432/tcp"});
  REQUIRE(p.env.size() == 2);
  REQUIRE(p.env[0] == std::pair<std::string, std::string>{"PGDATA", "/var/lib/postgresql/data"});
  REQUIRE(p.programs.size() == 1);
  REQUIRE(p.programs[0].package == "postgresql");
  REQUIRE(p.files.size() == 3);
  REQUIRE(p.files[2].empty_dir);
}

TEST_CASE("a profile's entrypoint naming its own file is that file; files resolve to the host") {
  auto p = profile_from(kPostgresLike, {"docker-entrypoint.sh", "app.conf"});
  auto entry = image_entry(p, [](const ProfileProgram& program) {
    return program.name == "tool" ? std::string("/usr/bin/tool") : std::string();
  });
  REQUIRE(entry.entrypoint == std::vector<std::string>{"/profiles/pg/docker-entrypoint.sh"});
  REQUIRE(entry.cmd == std::vector<std::string>{"postgres"});
  REQUIRE(entry.profile == "pg");
  REQUIRE(entry.files.size() == 3);
  REQUIRE(entry.files[0].source == "/profiles/pg/app.conf");
  REQUIRE(entry.files[1].source == "/usr/bin/tool");
  REQUIRE(entry.files[2].empty_dir);

  // A bare name that is no file of the profile stays a program looked up on PATH; a missing
  // program's file is left out.
  auto plain = image_entry(profile_from("names: [x]\nentrypoint: [postgres]\n"
                                        "files: [{path: /usr/local/bin/tool, program: tool}]\n"),
                           [](const ProfileProgram&) { return std::string(); });
  REQUIRE(plain.entrypoint == std::vector<std::string>{"postgres"});
  REQUIRE(plain.files.empty());
}

TEST_CASE("invalid profiles are refused with the field that is wrong") {
  REQUIRE_THAT(profile_error("cmd: [sh]\n"), Catch::Contains("names: must list at least one"));
  REQUIRE_THAT(profile_error("names: [Postgres]\ncmd: [sh]\n"),
               Catch::Contains("\"Postgres\" is not an image repository"));
  REQUIRE_THAT(profile_error("names: [postgres:17]\ncmd: [sh]\n"),
               Catch::Contains("is not an image repository"));
  REQUIRE_THAT(profile_error("names: [x]\n"), Catch::Contains("needs an entrypoint or a cmd"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\ncommand: [sh]\n"),
               Catch::Contains("command: unknown field"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: sh\n"), Catch::Contains("cmd: must be a list"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\nuser: 'a b'\n"),
               Catch::Contains("user: \"a b\" is not a user name"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\nworkingDir: data\n"),
               Catch::Contains("workingDir: must be an absolute path"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\nports: ['99999/tcp']\n"),
               Catch::Contains("ports: \"99999/tcp\""));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\nenv: [{name: '1X', value: a}]\n"),
               Catch::Contains("env[0].name"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\nfiles: [{path: /etc/a, source: a}]\n"),
               Catch::Contains("files[0].source: \"a\" is not a file of this profile"));
  REQUIRE_THAT(
      profile_error("names: [x]\ncmd: [sh]\nfiles: [{path: /etc/a, source: ../a}]\n", {"../a"}),
      Catch::Contains("must be a path inside the profile's directory"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\nfiles: [{path: /etc/../a, program: a}]\n"),
               Catch::Contains("files[0].path"));
  REQUIRE_THAT(
      profile_error("names: [x]\ncmd: [sh]\nfiles: [{path: /etc/a, program: a, source: b}]\n",
                    {"b"}),
      Catch::Contains("exactly one of"));
  REQUIRE_THAT(profile_error("names: [x\n"), Catch::Contains("profile.yaml"));
  REQUIRE_THAT(profile_error("names: [x]\ncmd: [sh]\n", {}, "../etc"),
               Catch::Contains("the directory name"));
  REQUIRE_THAT(profile_error("- a\n- b\n"), Catch::Contains("must be a mapping"));
}

TEST_CASE("image references match a profile's repositories, tags and digests ignored") {
  ImageMap images;
  images["postgres"].cmd = {"a"};
  images["docker.io/library/redis"].cmd = {"b"};
  images["localhost:5000/app"].cmd = {"c"};
  REQUIRE(image_repository("postgres:17") == "postgres");
  REQUIRE(image_repository("docker.io/library/postgres:17@sha256:ab") ==
          "docker.io/library/postgres");
  REQUIRE(image_repository("localhost:5000/app") == "localhost:5000/app");
  REQUIRE(find_image(images, "postgres:17")->cmd[0] == "a");
  REQUIRE(find_image(images, "docker.io/library/postgres:17")->cmd[0] == "a");
  REQUIRE(find_image(images, "docker.io/library/redis:7.0")->cmd[0] == "b");
  REQUIRE(find_image(images, "localhost:5000/app:1")->cmd[0] == "c");
  REQUIRE(find_image(images, "mysql:8") == nullptr);
}

TEST_CASE("lookup order: config.json, cluster, user, built-in, defaults") {
  auto profile = [](const std::string& name, const std::string& origin, const std::string& cmd,
                    std::vector<std::string> names) {
    ImageProfile p;
    p.name = name;
    p.origin = origin;
    p.dir = "/" + origin + "/" + name;
    p.names = std::move(names);
    p.cmd = {cmd};
    return p;
  };
  ImageMap configured;
  configured["redis"].entrypoint = {"from-config"};
  ImageMap fallback;
  fallback["redis"].entrypoint = {"from-defaults"};
  fallback["etcd"].entrypoint = {"etcd-default"};
  auto catalog = merge_catalog(configured,
                               {profile("pg", "cluster", "cluster-pg", {"postgres"}),
                                profile("pg", "user", "user-pg", {"postgres", "pg-user-only"}),
                                profile("redis", "user", "user-redis", {"redis"}),
                                profile("pg2", "built-in", "builtin-pg", {"postgres", "pgx"})},
                               fallback);
  REQUIRE(find_image(catalog.images, "redis")->entrypoint[0] == "from-config");
  REQUIRE(find_image(catalog.images, "postgres")->cmd[0] == "cluster-pg");
  // The user's pg is replaced by the cluster's pg as a whole: its other names are gone too.
  REQUIRE(find_image(catalog.images, "pg-user-only") == nullptr);
  REQUIRE(find_image(catalog.images, "pgx")->cmd[0] == "builtin-pg");
  REQUIRE(find_image(catalog.images, "etcd")->entrypoint[0] == "etcd-default");
  REQUIRE(catalog.profiles.size() == 3);
}

TEST_CASE("profile directories load from disk; a bad one is reported and the rest still load") {
  ProfileTempDir dir;
  dir.write("good/profile.yaml", "names: [good]\nentrypoint: [run.sh]\n");
  dir.write("good/run.sh", "#!/bin/sh\n");
  dir.write("bad/profile.yaml", "names: [bad]\ncmd: [sh]\nport: [1]\n");
  dir.write("empty/readme", "no profile here");
  std::vector<ImageProfile> profiles;
  std::vector<std::string> problems;
  load_profile_directory({"user", dir.path}, profiles, problems);
  REQUIRE(profiles.size() == 1);
  REQUIRE(profiles[0].origin == "user");
  REQUIRE(image_entry(profiles[0]).entrypoint[0] == (dir.path / "good" / "run.sh").string());
  REQUIRE(problems.size() == 2);
  REQUIRE_THAT(problems[0], Catch::Contains("\"bad\": port: unknown field"));
  REQUIRE_THAT(problems[1], Catch::Contains("\"empty\": no profile.yaml"));
}

TEST_CASE("the built-in profiles are embedded, parse, and are written out with scripts runnable") {
  REQUIRE_FALSE(builtin_image_files().empty());
  ProfileTempDir dir;
  std::vector<ImageProfile> profiles;
  std::vector<std::string> problems;
  load_builtin_profiles(dir.path, profiles, problems);
  for (const auto& problem : problems) FAIL(problem);
  auto busybox = std::find_if(profiles.begin(), profiles.end(),
                              [](const auto& p) { return p.name == "busybox"; });
  REQUIRE(busybox != profiles.end());
  REQUIRE(busybox->origin == "built-in");
  REQUIRE(write_builtin_profiles(dir.path));
  REQUIRE(fs::exists(dir.path / "busybox" / "profile.yaml"));
  for (const auto& p : profiles)
    for (const auto& file : p.own_files) {
      std::ifstream in(dir.path / p.name / file);
      std::string first;
      std::getline(in, first);
      if (first.rfind("#!", 0) == 0)
        REQUIRE(::access((dir.path / p.name / file).c_str(), X_OK) == 0);
    }
}

TEST_CASE("command and args against ENTRYPOINT and CMD follow Kubernetes") {
  auto images = postgres_images();
  const std::string entrypoint = "/profiles/pg/docker-entrypoint.sh";
  // Neither: ENTRYPOINT then CMD.
  REQUIRE(argv_of(images, json::object()) == std::vector<std::string>{entrypoint, "postgres"});
  // args alone replace CMD after the ENTRYPOINT.
  REQUIRE(argv_of(images, {{"args", {"postgres", "-c", "fsync=off"}}}) ==
          std::vector<std::string>{entrypoint, "postgres", "-c", "fsync=off"});
  // A command replaces the ENTRYPOINT and drops the CMD.
  REQUIRE(argv_of(images, {{"command", {"sleep", "1"}}}) == std::vector<std::string>{"sleep", "1"});
  // Command and args: both the container's.
  REQUIRE(argv_of(images, {{"command", {"echo"}}, {"args", {"hi"}}}) ==
          std::vector<std::string>{"echo", "hi"});
  // An image with CMD only: args replace it entirely.
  ImageMap cmd_only;
  cmd_only["postgres"].cmd = {"sh"};
  REQUIRE(argv_of(cmd_only, json::object()) == std::vector<std::string>{"sh"});
  REQUIRE(argv_of(cmd_only, {{"args", {"ls", "/"}}}) == std::vector<std::string>{"ls", "/"});
}

TEST_CASE("an unmapped image without a command says how to add a profile") {
  ImageMap none;
  auto result = launch_of(none, json::object());
  auto& problem = std::get<LaunchProblem>(result);
  REQUIRE(problem.reason == "ErrImageNotMapped");
  REQUIRE_THAT(problem.message, Catch::Contains("image \"postgres:17\" has no image profile"));
  REQUIRE_THAT(problem.message, Catch::Contains("under /k/images or /home/u/.config/kinda/images"));
  REQUIRE_THAT(problem.message, Catch::Contains("\"images\" in /k/config.json"));
  // A command needs no mapping.
  REQUIRE(argv_of(none, {{"command", {"true"}}}) == std::vector<std::string>{"true"});
}

TEST_CASE("the image's ENV is under the container's env and not a $(VAR) source") {
  auto images = postgres_images();
  auto result = launch_of(images, {{"env",
                                    {{{"name", "PGDATA"}, {"value", "/data/pg"}},
                                     {{"name", "SEEN"}, {"value", "$(PG_MAJOR)-$(PGDATA)"}}}}});
  auto& launch = std::get<ContainerLaunch>(result);
  REQUIRE(env_of(launch, "PGDATA") == "/data/pg");
  REQUIRE(env_of(launch, "PG_MAJOR") == "17");
  // PG_MAJOR is the image's, so stays literal; PGDATA is the container's own, so expands.
  REQUIRE(env_of(launch, "SEEN") == "$(PG_MAJOR)-/data/pg");
  // The image's variables come before the container's, in the image's order.
  auto position = [&](const std::string& name) {
    return std::find_if(launch.env.begin(), launch.env.end(),
                        [&](const auto& e) { return e.rfind(name + "=", 0) == 0; }) -
           launch.env.begin();
  };
  REQUIRE(position("PGDATA") < position("PG_MAJOR"));
  REQUIRE(position("PG_MAJOR") < position("SEEN"));
  // An image ENV may replace kinda's defaults (an image's PATH).
  images["postgres"].env.push_back({"PATH", "/opt/pg/bin:/usr/bin"});
  auto with_path = launch_of(images, json::object());
  REQUIRE(env_of(std::get<ContainerLaunch>(with_path), "PATH") == "/opt/pg/bin:/usr/bin");
}
