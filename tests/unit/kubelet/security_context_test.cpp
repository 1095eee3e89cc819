#include <catch2/catch.hpp>

#include <linux/capability.h>

#include "kubelet/security_context.hpp"
#include "runtime/capabilities.hpp"

namespace {

using namespace kinda::kubelet;
using kinda::runtime::CapabilityMask;
using nlohmann::json;

// A passwd and group database of its own: app (1000, primary 1000, also in "web" 3000),
// www-data (33:33), root (0:0, also in "wheel" 10).
UserDatabase test_users() {
  std::vector<PasswdEntry> users = {{"root", 0, 0}, {"www-data", 33, 33}, {"app", 1000, 1000}};
  UserDatabase db;
  db.user_by_id = [users](uid_t uid) -> std::optional<PasswdEntry> {
    for (const auto& u : users)
      if (u.uid == uid) return u;
    return std::nullopt;
  };
  db.user_by_name = [users](const std::string& name) -> std::optional<PasswdEntry> {
    for (const auto& u : users)
      if (u.name == name) return u;
    return std::nullopt;
  };
  db.group_by_name = [](const std::string& name) -> std::optional<gid_t> {
    if (name == "web") return 3000;
    if (name == "wheel") return 10;
    return std::nullopt;
  };
  db.groups_listing = [](const std::string& user) {
    if (user == "app") return std::vector<gid_t>{3000};
    if (user == "root") return std::vector<gid_t>{10};
    return std::vector<gid_t>{};
  };
  return db;
}

IdentityPowers root_powers() {
  return identity_powers(kinda::runtime::Isolation::Namespaces, 0, 0);
}

json sc_pod(json pod_sc = json::object()) {
  return {{"metadata", {{"name", "web-0"}, {"namespace", "default"}, {"uid", "u-1"}}},
          {"spec", {{"securityContext", pod_sc}}}};
}

json sc_container(json container_sc = json::object()) {
  return {{"name", "web"}, {"image", "python"}, {"securityContext", container_sc}};
}

ResolvedSecurity resolved(const json& pod, const json& container,
                          const std::string& image_user = "",
                          const IdentityPowers& powers = root_powers()) {
  auto result = resolve_security_context(pod, container, image_user, test_users(), powers);
  REQUIRE(std::holds_alternative<ResolvedSecurity>(result));
  return std::get<ResolvedSecurity>(result);
}

SecurityRefusal refused(const json& pod, const json& container,
                        const std::string& image_user = "") {
  auto result = resolve_security_context(pod, container, image_user, test_users(), root_powers());
  REQUIRE(std::holds_alternative<SecurityRefusal>(result));
  return std::get<SecurityRefusal>(result);
}

CapabilityMask one_capability(int n) {
  return CapabilityMask{1} << n;
}

}  // namespace

TEST_CASE("capability names parse with or without CAP_ and in any case") {
  using kinda::runtime::capability_number;
  CHECK(capability_number("NET_ADMIN") == CAP_NET_ADMIN);
  CHECK(capability_number("CAP_NET_ADMIN") == CAP_NET_ADMIN);
  CHECK(capability_number("net_bind_service") == CAP_NET_BIND_SERVICE);
  CHECK(capability_number("CAP_BPF") == 39);
  CHECK_FALSE(capability_number("NOT_A_CAP"));
  CHECK_FALSE(capability_number(""));
  CHECK(kinda::runtime::capability_name(CAP_SYS_ADMIN) == "CAP_SYS_ADMIN");
}

TEST_CASE("containerd's default capabilities are its fourteen") {
  auto names = kinda::runtime::capability_names(kinda::runtime::default_container_capabilities());
  CHECK(names == std::vector<std::string>{"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
                                          "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
                                          "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW",
                                          "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE",
                                          "CAP_SETFCAP"});
  // Fewer than every capability, and all of them within what the kernel knows.
  auto all = kinda::runtime::all_capabilities();
  CHECK((kinda::runtime::default_container_capabilities() & ~all) == 0);
  CHECK(all & one_capability(CAP_SYS_ADMIN));
}

TEST_CASE("capability add and drop apply as containerd does: ALL first, then each name") {
  std::vector<std::string> unknown;
  auto base = kinda::runtime::default_container_capabilities();
  CHECK(apply_capability_changes(base, {{"drop", {"ALL"}}}, unknown) == 0);
  CHECK(apply_capability_changes(base, {{"drop", {"ALL"}}, {"add", {"NET_BIND_SERVICE"}}},
                                 unknown) == one_capability(CAP_NET_BIND_SERVICE));
  CHECK(apply_capability_changes(base, {{"add", {"ALL"}}, {"drop", {"CAP_CHOWN"}}}, unknown) ==
        (kinda::runtime::all_capabilities() & ~one_capability(CAP_CHOWN)));
  CHECK(apply_capability_changes(base, {{"add", {"NET_ADMIN"}}, {"drop", {"kill"}}}, unknown) ==
        ((base | one_capability(CAP_NET_ADMIN)) & ~one_capability(CAP_KILL)));
  CHECK(unknown.empty());
  apply_capability_changes(base, {{"add", {"WARP_DRIVE"}}}, unknown);
  CHECK(unknown == std::vector<std::string>{"WARP_DRIVE"});
}

TEST_CASE("runAsUser without runAsGroup takes the user's primary group, else 0") {
  auto app = resolved(sc_pod({{"runAsUser", 1000}}), sc_container());
  CHECK(app.credentials.uid == 1000);
  CHECK(app.credentials.gid == 1000);
  CHECK(app.credentials.groups == std::vector<gid_t>{1000, 3000});  // + /etc/group membership
  auto unknown = resolved(sc_pod(), sc_container({{"runAsUser", 4242}}));
  CHECK(unknown.credentials.uid == 4242);
  CHECK(unknown.credentials.gid == 0);
  CHECK(unknown.credentials.groups == std::vector<gid_t>{0});
  CHECK(unknown.not_enforced.empty());
}

TEST_CASE("container fields override the pod's; fsGroup and supplementalGroups join the groups") {
  auto r = resolved(sc_pod({{"runAsUser", 33},
                            {"runAsGroup", 44},
                            {"fsGroup", 2000},
                            {"supplementalGroups", {5000, 44}}}),
                    sc_container({{"runAsUser", 1000}}));
  CHECK(r.credentials.uid == 1000);
  CHECK(r.credentials.gid == 44);
  CHECK(r.credentials.groups == std::vector<gid_t>{44, 3000, 2000, 5000});
  CHECK(r.credentials.set_ids);
}

TEST_CASE("the image's USER applies when runAsUser is unset") {
  auto named = resolved(sc_pod(), sc_container(), "www-data");
  CHECK(named.credentials.uid == 33);
  CHECK(named.credentials.gid == 33);
  auto with_group = resolved(sc_pod(), sc_container(), "app:web");
  CHECK(with_group.credentials.uid == 1000);
  CHECK(with_group.credentials.gid == 3000);
  auto numeric = resolved(sc_pod(), sc_container(), "1000:7");
  CHECK(numeric.credentials.gid == 7);
  auto overridden = resolved(sc_pod({{"runAsUser", 33}}), sc_container(), "app");
  CHECK(overridden.credentials.uid == 33);
  auto root = resolved(sc_pod(), sc_container(), "");
  CHECK(root.credentials.uid == 0);
  CHECK(root.credentials.groups == std::vector<gid_t>{0, 10});
  auto missing = refused(sc_pod(), sc_container(), "nobody-here");
  CHECK(missing.reason == "CreateContainerError");
  CHECK(missing.message == "unable to find user nobody-here: no matching entries in passwd file");
}

TEST_CASE("runAsNonRoot refuses a root start with the kubelet's messages") {
  const std::string where = "(pod: \"web-0_default(u-1)\", container: web)";
  auto root_image = refused(sc_pod({{"runAsNonRoot", true}}), sc_container());
  CHECK(root_image.reason == "CreateContainerConfigError");
  CHECK(root_image.message == "container has runAsNonRoot and image will run as root " + where);
  auto named = refused(sc_pod(), sc_container({{"runAsNonRoot", true}}), "app");
  CHECK(named.message ==
        "container has runAsNonRoot and image has non-numeric user (app), cannot verify user is "
        "non-root " +
            where);
  auto zero = refused(sc_pod({{"runAsNonRoot", true}}), sc_container({{"runAsUser", 0}}));
  CHECK(zero.message == "container's runAsUser breaks non-root policy " + where);
  CHECK(resolved(sc_pod({{"runAsNonRoot", true}, {"runAsUser", 1000}}), sc_container())
            .credentials.uid == 1000);
  CHECK(resolved(sc_pod({{"runAsNonRoot", true}}), sc_container(), "1000").credentials.uid == 1000);
  // The container's false wins over the pod's true.
  CHECK(resolved(sc_pod({{"runAsNonRoot", true}}), sc_container({{"runAsNonRoot", false}}))
            .credentials.uid == 0);
}

TEST_CASE("capabilities, privileged and allowPrivilegeEscalation") {
  auto plain = resolved(sc_pod(), sc_container());
  CHECK(plain.credentials.bounding == kinda::runtime::default_container_capabilities());
  CHECK_FALSE(plain.credentials.no_new_privs);
  auto privileged = resolved(sc_pod(), sc_container({{"privileged", true}}));
  CHECK(privileged.credentials.bounding == kinda::runtime::all_capabilities());
  auto locked = resolved(sc_pod(), sc_container({{"allowPrivilegeEscalation", false},
                                                 {"capabilities", {{"drop", {"ALL"}}}}}));
  CHECK(locked.credentials.no_new_privs);
  CHECK(locked.credentials.bounding == CapabilityMask{0});
  CHECK(resolved(sc_pod(), sc_container({{"allowPrivilegeEscalation", true}}))
            .credentials.no_new_privs == false);
}

TEST_CASE("a cluster without privileges names what it cannot enforce and keeps its own ids") {
  auto userns = identity_powers(kinda::runtime::Isolation::UserNamespaces, 1500, 1500);
  auto r = resolved(sc_pod({{"runAsUser", 1000}, {"fsGroup", 2000}}),
                    sc_container({{"allowPrivilegeEscalation", false}}), "", userns);
  CHECK_FALSE(r.credentials.set_ids);
  CHECK(r.credentials.no_new_privs);
  CHECK(r.credentials.bounding.has_value());  // dropped inside the user namespace
  CHECK(r.not_enforced ==
        "securityContext of container web not enforced: runAsUser, fsGroup (in the process's "
        "groups) (the cluster runs as uid 1500 in isolation mode namespaces-userns, whose user "
        "namespace maps only that uid: containers run as uid 1500 with no capabilities on the "
        "host)");
  // Its own uid is no problem, and nothing is said.
  CHECK(resolved(sc_pod({{"runAsUser", 1500}}), sc_container(), "", userns).not_enforced.empty());

  auto none = identity_powers(kinda::runtime::Isolation::None, 1500, 1500);
  auto n = resolved(sc_pod(), sc_container({{"privileged", true}}), "", none);
  CHECK_FALSE(n.credentials.bounding.has_value());
  CHECK(n.not_enforced.find("not enforced: privileged (the cluster runs as uid 1500 without "
                            "privileges in isolation mode none") != std::string::npos);
  auto add =
      resolved(sc_pod(), sc_container({{"capabilities", {{"add", {"NET_ADMIN"}}}}}), "", none);
  CHECK(add.not_enforced.find("capabilities.add") != std::string::npos);
}

TEST_CASE("credentials travel to the shim as JSON and back") {
  kinda::runtime::Credentials c;
  c.set_ids = true;
  c.uid = 1000;
  c.gid = 2000;
  c.groups = {2000, 3000};
  c.bounding = kinda::runtime::default_container_capabilities();
  c.no_new_privs = true;
  auto back = kinda::runtime::credentials_from_json(kinda::runtime::to_json(c));
  REQUIRE(back);
  CHECK(*back == c);
  c.bounding.reset();
  CHECK(*kinda::runtime::credentials_from_json(kinda::runtime::to_json(c)) == c);
  CHECK_FALSE(kinda::runtime::credentials_from_json(json{{"uid", "root"}}));
}
