// The kubelet's volume rules: the atomic writer's layout on real files (..data, timestamped
// directories, user-visible links, unchanged payloads left alone, stale entries removed), and
// how a volume's source becomes a set of files (items, modes, optional, missing keys, the
// downward API's formats, resourceFieldRef divisors, the service account token).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/base64.hpp"
#include "kubelet/volumes/atomic_writer.hpp"
#include "kubelet/volumes/volume_ownership.hpp"
#include "kubelet/volumes/volume_projection.hpp"

namespace {

namespace fs = std::filesystem;
using namespace kinda::kubelet;
using nlohmann::json;

struct ScratchDir {
  fs::path path;
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "kinda-volume-test.XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> timestamped_dirs(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto name = e.path().filename().string();
    if (name.rfind("..", 0) == 0 && name != "..data" && e.is_directory() && !e.is_symlink())
      found.push_back(name);
  }
  return found;
}

json volume_pod() {
  return {{"metadata",
           {{"name", "web-0"},
            {"namespace", "shop"},
            {"uid", "u-9"},
            {"labels", {{"app", "web"}, {"tier", "front \"end\""}}},
            {"annotations", {{"b", "2"}, {"a", "1"}}}}},
          {"spec",
           {{"serviceAccountName", "builder"},
            {"containers",
             {{{"name", "app"},
               {"resources", {{"limits", {{"cpu", "500m"}, {"memory", "64Mi"}}}}}}}}}}};
}

ProjectionContext objects_context(std::map<std::string, json> objects) {
  ProjectionContext ctx;
  ctx.lookup = [objects](const std::string& plural,
                         const std::string& name) -> std::optional<json> {
    auto it = objects.find(plural + "/" + name);
    if (it == objects.end()) return std::nullopt;
    return it->second;
  };
  ctx.token_issued_at = 1000;
  ctx.node_cpu_millicores = 4000;
  return ctx;
}

const FileSet& files_of(const std::variant<FileSet, MountProblem>& outcome) {
  if (auto* problem = std::get_if<MountProblem>(&outcome)) FAIL(problem->message);
  return std::get<FileSet>(outcome);
}

}  // namespace

TEST_CASE("atomic writer: files behind ..data and per-name links", "[volumes]") {
  ScratchDir scratch;
  auto dir = scratch.path / "config";
  auto written = write_atomically(
      dir.string(), {{"app.conf", {"port=80\n", 0600}}, {"nested/deep.txt", {"x", 0644}}});
  REQUIRE(written);
  CHECK(*written);
  auto data = fs::read_symlink(dir / "..data").string();
  CHECK(data.rfind("..", 0) == 0);
  CHECK(fs::read_symlink(dir / "app.conf") == fs::path("..data/app.conf"));
  CHECK(fs::read_symlink(dir / "nested") == fs::path("..data/nested"));
  CHECK(slurp(dir / "app.conf") == "port=80\n");
  CHECK(slurp(dir / "nested" / "deep.txt") == "x");
  struct stat st {};
  REQUIRE(::stat((dir / "app.conf").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(!fs::exists(dir / "..data_tmp"));
}

TEST_CASE("atomic writer: an unchanged payload writes nothing", "[volumes]") {
  ScratchDir scratch;
  auto dir = (scratch.path / "v").string();
  FileSet files{{"a", {"1", 0644}}};
  REQUIRE(*write_atomically(dir, files));
  auto before = fs::read_symlink(fs::path(dir) / "..data");
  auto again = write_atomically(dir, files);
  REQUIRE(again);
  CHECK_FALSE(*again);
  CHECK(fs::read_symlink(fs::path(dir) / "..data") == before);
}

TEST_CASE("atomic writer: an update swaps ..data, drops stale names and the old dir", "[volumes]") {
  ScratchDir scratch;
  auto dir = scratch.path / "v";
  REQUIRE(*write_atomically(dir.string(), {{"a", {"1", 0644}}, {"b", {"2", 0644}}}));
  auto old_dir = fs::read_symlink(dir / "..data").string();
  // A reader holding the old file keeps reading the old content.
  std::ifstream held(dir / "a");
  REQUIRE(*write_atomically(dir.string(), {{"a", {"10", 0644}}, {"c", {"3", 0644}}}));
  CHECK(fs::read_symlink(dir / "..data").string() != old_dir);
  CHECK(slurp(dir / "a") == "10");
  CHECK(slurp(dir / "c") == "3");
  CHECK(!fs::exists(fs::symlink_status(dir / "b")));
  CHECK(!fs::exists(dir / old_dir));
  CHECK(timestamped_dirs(dir).size() == 1);
  std::string old_content;
  held >> old_content;
  CHECK(old_content == "1");
}

TEST_CASE("atomic writer: the timestamped name is the kubelet's", "[volumes]") {
  CHECK(timestamped_dir_name(1796657400, 42) == "..2026_12_07_15_30_00.42");
}

TEST_CASE("projection: configMap keys, items, modes and defaultMode", "[volumes]") {
  auto ctx =
      objects_context({{"configmaps/app",
                        {{"data", {{"a.conf", "A"}, {"b.conf", "B"}}},
                         {"binaryData", {{"bin", kinda::api::base64_encode("\x01\x02")}}}}}});
  auto all = files_of(
      project_volume(volume_pod(), {{"name", "c"}, {"configMap", {{"name", "app"}}}}, ctx));
  CHECK(all.size() == 3);
  CHECK(all.at("a.conf").content == "A");
  CHECK(all.at("a.conf").mode == 0644);
  CHECK(all.at("bin").content == "\x01\x02");
  auto picked =
      files_of(project_volume(volume_pod(),
                              {{"name", "c"},
                               {"configMap",
                                {{"name", "app"},
                                 {"defaultMode", 0440},
                                 {"items",
                                  {{{"key", "a.conf"}, {"path", "conf/app.conf"}, {"mode", 0400}},
                                   {{"key", "b.conf"}, {"path", "b"}}}}}}},
                              ctx));
  CHECK(picked.size() == 2);
  CHECK(picked.at("conf/app.conf").mode == 0400);
  CHECK(picked.at("b").mode == 0440);
}

TEST_CASE("projection: missing sources and keys, optional or not", "[volumes]") {
  auto ctx = objects_context(
      {{"secrets/db", {{"data", {{"password", kinda::api::base64_encode("pw")}}}}}});
  auto missing = project_volume(volume_pod(),
                                {{"name", "config"}, {"configMap", {{"name", "app-config"}}}}, ctx);
  REQUIRE(std::holds_alternative<MountProblem>(missing));
  CHECK(std::get<MountProblem>(missing).message == "configmap \"app-config\" not found");
  auto optional = project_volume(
      volume_pod(),
      {{"name", "config"}, {"configMap", {{"name", "app-config"}, {"optional", true}}}}, ctx);
  CHECK(files_of(optional).empty());
  auto secret = files_of(
      project_volume(volume_pod(), {{"name", "s"}, {"secret", {{"secretName", "db"}}}}, ctx));
  CHECK(secret.at("password").content == "pw");
  auto no_key = project_volume(
      volume_pod(),
      {{"name", "s"},
       {"secret", {{"secretName", "db"}, {"items", {{{"key", "user"}, {"path", "u"}}}}}}},
      ctx);
  REQUIRE(std::holds_alternative<MountProblem>(no_key));
  CHECK(std::get<MountProblem>(no_key).message == "references non-existent secret key: user");
  auto skipped = project_volume(
      volume_pod(),
      {{"name", "s"},
       {"secret",
        {{"secretName", "db"},
         {"optional", true},
         {"items", {{{"key", "user"}, {"path", "u"}}, {{"key", "password"}, {"path", "p"}}}}}}},
      ctx);
  CHECK(files_of(skipped).size() == 1);
  CHECK(std::get<MountProblem>(
            project_volume(
                volume_pod(),
                {{"name", "s"},
                 {"secret",
                  {{"secretName", "db"}, {"items", {{{"key", "password"}, {"path", "../x"}}}}}}},
                ctx))
            .message.find("invalid path") != std::string::npos);
}

TEST_CASE("projection: downwardAPI formats and resourceFieldRef divisors", "[volumes]") {
  auto ctx = objects_context({});
  json items = {{{"path", "labels"}, {"fieldRef", {{"fieldPath", "metadata.labels"}}}},
                {{"path", "annotations"}, {"fieldRef", {{"fieldPath", "metadata.annotations"}}}},
                {{"path", "name"}, {"fieldRef", {{"fieldPath", "metadata.name"}}}},
                {{"path", "app"}, {"fieldRef", {{"fieldPath", "metadata.labels['app']"}}}},
                {{"path", "cpu"},
                 {"resourceFieldRef", {{"containerName", "app"}, {"resource", "limits.cpu"}}}},
                {{"path", "cpu_m"},
                 {"resourceFieldRef",
                  {{"containerName", "app"}, {"resource", "limits.cpu"}, {"divisor", "1m"}}}},
                {{"path", "mem_mi"},
                 {"resourceFieldRef",
                  {{"containerName", "app"}, {"resource", "limits.memory"}, {"divisor", "1Mi"}}}},
                {{"path", "req_cpu"},
                 {"resourceFieldRef", {{"containerName", "app"}, {"resource", "requests.cpu"}}}}};
  auto files = files_of(
      project_volume(volume_pod(), {{"name", "info"}, {"downwardAPI", {{"items", items}}}}, ctx));
  CHECK(files.at("labels").content == "app=\"web\"\ntier=\"front \\\"end\\\"\"");
  CHECK(files.at("annotations").content == "a=\"1\"\nb=\"2\"");
  CHECK(files.at("name").content == "web-0");
  CHECK(files.at("app").content == "web");
  CHECK(files.at("cpu").content == "1");  // 500m rounded up to whole cores
  CHECK(files.at("cpu_m").content == "500");
  CHECK(files.at("mem_mi").content == "64");
  CHECK(files.at("req_cpu").content == "1");  // requests default to limits
}

TEST_CASE("projection: projected sources and the service account token", "[volumes]") {
  auto ctx = objects_context({{"configmaps/app", {{"data", {{"k", "v"}}}}},
                              {"secrets/db", {{"data", {{"p", kinda::api::base64_encode("s")}}}}}});
  json projected = {
      {"defaultMode", 0600},
      {"sources",
       {{{"configMap", {{"name", "app"}}}},
        {{"secret", {{"name", "db"}, {"items", {{{"key", "p"}, {"path", "secret/p"}}}}}}},
        {{"downwardAPI",
          {{"items", {{{"path", "ns"}, {"fieldRef", {{"fieldPath", "metadata.namespace"}}}}}}}}},
        {{"serviceAccountToken",
          {{"path", "token"}, {"audience", "vault"}, {"expirationSeconds", 600}}}}}}};
  auto files =
      files_of(project_volume(volume_pod(), {{"name", "all"}, {"projected", projected}}, ctx));
  CHECK(files.at("k").content == "v");
  CHECK(files.at("k").mode == 0600);
  CHECK(files.at("secret/p").content == "s");
  CHECK(files.at("ns").content == "shop");
  const std::string token = files.at("token").content;
  auto first = token.find('.'), second = token.find('.', first + 1);
  REQUIRE(second == token.size() - 1);  // header.claims. with an empty signature
  std::string claims_text = token.substr(first + 1, second - first - 1);
  for (auto& ch : claims_text) ch = ch == '-' ? '+' : ch == '_' ? '/' : ch;
  while (claims_text.size() % 4) claims_text += '=';
  auto claims = json::parse(*kinda::api::base64_decode(claims_text));
  CHECK(claims["sub"] == "system:serviceaccount:shop:builder");
  CHECK(claims["aud"] == json::array({"vault"}));
  CHECK(claims["exp"] == 1600);
  CHECK(claims["kubernetes.io"]["pod"]["name"] == "web-0");
}

TEST_CASE("fsGroup ownership: group, group bits, setgid dirs; OnRootMismatch skips", "[volumes]") {
  // Root gives any group; anyone else may give only a group of their own.
  const gid_t group = ::geteuid() == 0 ? 2000 : ::getegid();
  ScratchDir scratch;
  auto dir = scratch.path / "claim";
  fs::create_directories(dir / "sub");
  { std::ofstream(dir / "sub" / "f") << "x"; }
  ::chmod((dir / "sub" / "f").c_str(), 0600);
  ::chmod((dir / "sub").c_str(), 0700);
  ::chmod(dir.c_str(), 0700);
  REQUIRE(set_volume_ownership(dir.string(), group, false));
  struct stat st {};
  REQUIRE(::stat((dir / "sub" / "f").c_str(), &st) == 0);
  CHECK(st.st_gid == group);
  CHECK((st.st_mode & 07777) == 0660);
  REQUIRE(::stat((dir / "sub").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 02770);
  CHECK(volume_root_matches(dir.string(), group, false));
  // A file changed behind the root's back stays as it is under OnRootMismatch.
  ::chmod((dir / "sub" / "f").c_str(), 0600);
  REQUIRE(set_volume_ownership(dir.string(), group, false, FsGroupChangePolicy::OnRootMismatch));
  REQUIRE(::stat((dir / "sub" / "f").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  REQUIRE(set_volume_ownership(dir.string(), group, true));  // read-only volumes get 0440 only
  REQUIRE(::stat((dir / "sub" / "f").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
}
