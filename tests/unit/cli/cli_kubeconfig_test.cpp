// kinda kubeconfig: the rendered file as kubectl reads it, and merging into an existing one
// (other entries kept, its own replaced, current-context set, strings kept strings).
#include <catch2/catch.hpp>

#include <cstdlib>

#include <yaml-cpp/yaml.h>

#include "api/base64.hpp"
#include "cli/kubeconfig.hpp"

using kinda::cli::KubeconfigEntry;
using kinda::cli::merge_kubeconfig;
using kinda::cli::render_kubeconfig;

namespace {

const KubeconfigEntry kEntry{"kinda-dev", "https://127.0.0.1:43210",
                             "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                             "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};

YAML::Node named(const YAML::Node& list, const std::string& name) {
  for (const auto& item : list)
    if (item["name"].as<std::string>() == name) return item;
  FAIL("no entry " << name);
  return {};
}

}  // namespace

TEST_CASE("kubeconfig: one cluster, user and context, current", "[kubeconfig]") {
  const auto text = render_kubeconfig(kEntry);
  auto config = YAML::Load(text);
  CHECK(config["apiVersion"].as<std::string>() == "v1");
  CHECK(config["kind"].as<std::string>() == "Config");
  CHECK(config["current-context"].as<std::string>() == "kinda-dev");
  REQUIRE(config["clusters"].size() == 1);
  auto cluster = config["clusters"][0];
  CHECK(cluster["name"].as<std::string>() == "kinda-dev");
  CHECK(cluster["cluster"]["server"].as<std::string>() == "https://127.0.0.1:43210");
  auto ca =
      kinda::api::base64_decode(cluster["cluster"]["certificate-authority-data"].as<std::string>());
  REQUIRE(ca);
  CHECK(*ca == kEntry.ca_pem);
  REQUIRE(config["users"].size() == 1);
  CHECK(config["users"][0]["name"].as<std::string>() == "kinda-dev");
  CHECK(config["users"][0]["user"]["token"].as<std::string>() == kEntry.token);
  REQUIRE(config["contexts"].size() == 1);
  auto context = config["contexts"][0];
  CHECK(context["name"].as<std::string>() == "kinda-dev");
  CHECK(context["context"]["cluster"].as<std::string>() == "kinda-dev");
  CHECK(context["context"]["user"].as<std::string>() == "kinda-dev");
  // A Go YAML reader must see the token as a string even when it is all digits.
  auto digits = kEntry;
  digits.token = std::string(64, '7');
  CHECK(render_kubeconfig(digits).find("token: \"" + digits.token + "\"") != std::string::npos);
}

TEST_CASE("kubeconfig merge keeps other entries and replaces its own", "[kubeconfig]") {
  const std::string existing = R"(apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}
- name: kinda-dev
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: prod
  context: {cluster: prod, user: admin, namespace: "0123"}
- name: kinda-dev
  context: {cluster: kinda-dev, user: kinda-dev}
current-context: prod
preferences: {colors: true}
users:
- name: admin
  user: {token: "12345", username: "yes"}
- name: kinda-dev
  user: {token: old}
)";
  auto merged = merge_kubeconfig(existing, kEntry);
  REQUIRE(merged);
  auto config = YAML::Load(*merged);
  CHECK(config["current-context"].as<std::string>() == "kinda-dev");
  CHECK(config["clusters"].size() == 2);
  CHECK(config["contexts"].size() == 2);
  CHECK(config["users"].size() == 2);
  CHECK(named(config["clusters"], "prod")["cluster"]["server"].as<std::string>() ==
        "https://10.0.0.1:6443");
  CHECK(named(config["clusters"], "kinda-dev")["cluster"]["server"].as<std::string>() ==
        "https://127.0.0.1:43210");
  CHECK(named(config["users"], "kinda-dev")["user"]["token"].as<std::string>() == kEntry.token);
  CHECK(config["preferences"]["colors"].as<bool>());
  // Strings that were quoted stay quoted, so kubectl still reads them as strings.
  CHECK(merged->find("namespace: \"0123\"") != std::string::npos);
  CHECK(merged->find("token: \"12345\"") != std::string::npos);
  CHECK(merged->find("username: \"yes\"") != std::string::npos);
  CHECK(merged->find("insecure-skip-tls-verify: true") != std::string::npos);

  // Merging again changes nothing.
  auto twice = merge_kubeconfig(*merged, kEntry);
  REQUIRE(twice);
  CHECK(*twice == *merged);
}

TEST_CASE("kubeconfig merge into an empty file or a broken one", "[kubeconfig]") {
  auto empty = merge_kubeconfig("", kEntry);
  REQUIRE(empty);
  CHECK(*empty == render_kubeconfig(kEntry));
  auto nulls = merge_kubeconfig("apiVersion: v1\nkind: Config\nclusters: null\nusers:\n", kEntry);
  REQUIRE(nulls);
  CHECK(YAML::Load(*nulls)["users"].size() == 1);

  CHECK_FALSE(merge_kubeconfig("- a list\n", kEntry));
  CHECK_FALSE(merge_kubeconfig("clusters: {a: b}\n", kEntry));
  CHECK_FALSE(merge_kubeconfig("clusters: [\n", kEntry));
}

TEST_CASE("kubeconfig goes where kubectl looks", "[kubeconfig]") {
  const char* old_kubeconfig = std::getenv("KUBECONFIG");
  const std::string saved = old_kubeconfig ? old_kubeconfig : "";
  const std::string saved_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  ::setenv("KUBECONFIG", "::/tmp/a/config:/tmp/b/config", 1);
  CHECK(kinda::cli::default_kubeconfig_path() == "/tmp/a/config");
  ::unsetenv("KUBECONFIG");
  ::setenv("HOME", "/home/someone", 1);
  CHECK(kinda::cli::default_kubeconfig_path() == "/home/someone/.kube/config");
  ::setenv("HOME", saved_home.c_str(), 1);
  if (old_kubeconfig) ::setenv("KUBECONFIG", saved.c_str(), 1);
}
