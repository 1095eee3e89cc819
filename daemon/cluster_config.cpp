#include "daemon/cluster_config.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "kubelet/image_config.hpp"
#include "storage/range_claims.hpp"

namespace kinda::daemon {
namespace {

using nlohmann::json;
constexpr int kFirstOctet = 64, kOctetCount = 64;  // 127.64.x.x … 127.127.x.x
constexpr int kMaxNodes = 100;

std::set<int> octets_in_use(const storage::ClusterPaths& self) {
  std::set<int> used;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(self.root.parent_path(), ec)) {
    if (entry.path() == self.root) continue;
    std::ifstream in(entry.path() / "config.json");
    if (!in) continue;
    auto j = json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("podOctet")) used.insert(j["podOctet"].get<int>());
  }
  return used;
}

// Where a cluster's DNS listens unless told otherwise: port 53 on its own address, which pods'
// resolv.conf can name; without root that port cannot be bound, so a high one.
uint16_t default_dns_port() {
  return geteuid() == 0 ? 53 : 10053;
}

// Whether another cluster on this machine (under another $KINDA_HOME, which octets_in_use cannot
// see) already serves DNS in range 127.<octet>: its resolver's UDP port cannot be bound.
bool range_served_elsewhere(int octet) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(default_dns_port());
  address.sin_addr.s_addr = htonl(127u << 24 | static_cast<uint32_t>(octet) << 16 | 1u);
  const bool in_use =
      ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 &&
      errno == EADDRINUSE;
  ::close(fd);
  return in_use;
}

Status write_atomically(const std::filesystem::path& path, const std::string& text) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out) return Error::internal("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Error::internal("cannot write " + path.string() + ": " + ec.message());
  return Ok{};
}

// The "dns" object: {"upstream": …, "ttl": N}; its ttl wins over the older flat dnsTTL.
Status read_dns_settings(const json& j, ClusterConfig& cfg) {
  if (!j.contains("dns")) return Ok{};
  const json& dns = j["dns"];
  if (!dns.is_object())
    return Error::bad_request("dns must be an object like {\"upstream\": \"host\", \"ttl\": 5}");
  if (dns.contains("upstream")) {
    auto upstream = dns_upstream_from_json(dns["upstream"]);
    if (!upstream) return upstream.error();
    cfg.dns_upstream = *upstream;
  }
  if (dns.contains("ttl")) {
    const json& ttl = dns["ttl"];
    if (!ttl.is_number_unsigned() || ttl.get<uint64_t>() > UINT32_MAX)
      return Error::bad_request("dns.ttl must be a whole number of seconds, got " + ttl.dump());
    cfg.dns_ttl = ttl.get<uint32_t>();
  }
  return Ok{};
}

// The "api" object: {"listen": "127.0.0.1:PORT"}; absent or null means no TCP listener.
Status read_api_settings(const json& j, ClusterConfig& cfg) {
  if (!j.contains("api")) return Ok{};
  const json& api = j["api"];
  if (!api.is_object() ||
      (api.contains("listen") && !api["listen"].is_string() && !api["listen"].is_null()))
    return Error::bad_request("api must be an object like {\"listen\": \"127.0.0.1:6443\"}");
  if (!api.contains("listen") || api["listen"].is_null()) return Ok{};
  auto listen = apiserver::parse_listen_address(api["listen"].get<std::string>(), "api.listen");
  if (!listen) return listen.error();
  cfg.api_listen = *listen;
  return Ok{};
}

}  // namespace

std::string ClusterConfig::dns_host() const {
  return dns_address.substr(0, dns_address.rfind(':'));
}

uint16_t ClusterConfig::dns_port() const {
  return static_cast<uint16_t>(std::stoi(dns_address.substr(dns_address.rfind(':') + 1)));
}

kubelet::KubeletConfig kubelet_config(const ClusterConfig& config) {
  kubelet::KubeletConfig k;
  k.time_scale = config.time_scale;
  k.pod_octet = config.pod_octet;
  k.dns_ip = config.dns_ip();
  k.domain = config.domain;
  k.images = config.images;
  k.container_log_max_bytes = config.container_log_max_bytes;
  k.container_log_max_files = config.container_log_max_files;
  k.shim_orphan_grace_seconds = config.shim_orphan_grace_seconds;
  return k;
}

std::vector<std::string> default_node_names(const std::string& cluster, int count) {
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i)
    names.push_back(cluster + "-node" + (i == 1 ? "" : std::to_string(i)));
  return names;
}

Result<ClusterConfig> load_or_create_config(const storage::ClusterPaths& paths,
                                            const ConfigOverrides& overrides) {
  ClusterConfig cfg;
  cfg.name = paths.name;
  if (auto created = storage::create_cluster_root(paths); !created) return created.error();

  // Held until the config is written, so two homes' new clusters cannot pick one range.
  auto claims = storage::RangeClaims::lock();
  std::ifstream in(paths.config());
  if (in) {
    auto j = json::parse(in, nullptr, false);
    if (!j.is_object()) return Error::bad_request(paths.config().string() + " is not valid JSON");
    cfg.pod_octet = j.value("podOctet", kFirstOctet);
    cfg.dns_address = j.value("dnsListen", "");
    cfg.domain = j.value("clusterDomain", cfg.domain);
    cfg.dns_ttl = j.value("dnsTTL", cfg.dns_ttl);
    if (auto st = read_dns_settings(j, cfg); !st)
      return Error::bad_request(paths.config().string() + ": " + st.error().message);
    if (auto st = read_api_settings(j, cfg); !st)
      return Error::bad_request(paths.config().string() + ": " + st.error().message);
    cfg.time_scale = j.value("timeScale", 1.0);
    cfg.container_log_max_bytes = j.value("containerLogMaxBytes", cfg.container_log_max_bytes);
    cfg.container_log_max_files = j.value("containerLogMaxFiles", cfg.container_log_max_files);
    cfg.isolation = j.value("isolation", cfg.isolation);
    cfg.shim_orphan_grace_seconds =
        j.value("shimOrphanGraceSeconds", cfg.shim_orphan_grace_seconds);
    if (j.contains("nodes") && j["nodes"].is_array())
      for (const auto& n : j["nodes"])
        if (n.is_string()) cfg.nodes.push_back(n.get<std::string>());
    if (j.contains("images")) cfg.images = kubelet::images_from_config(j["images"]);
  } else {
    auto used = octets_in_use(paths);
    int start = static_cast<int>(std::hash<std::string>{}(paths.name) % kOctetCount);
    if (paths.name == "default") start = 0;
    cfg.pod_octet = -1;
    for (int i = 0; i < kOctetCount; ++i) {
      int octet = kFirstOctet + (start + i) % kOctetCount;
      if (!used.count(octet) && !range_served_elsewhere(octet) &&
          !(claims && claims->held_elsewhere(octet, paths.root))) {
        cfg.pod_octet = octet;
        break;
      }
    }
    if (cfg.pod_octet < 0)
      return Error::conflict("no free pod address range left under $KINDA_HOME");
  }

  if (overrides.node_count && (*overrides.node_count < 1 || *overrides.node_count > kMaxNodes))
    return Error::bad_request("--nodes must be between 1 and " + std::to_string(kMaxNodes));
  if (cfg.nodes.empty())
    cfg.nodes = default_node_names(paths.name, overrides.node_count.value_or(1));
  if (std::set<std::string>(cfg.nodes.begin(), cfg.nodes.end()).size() != cfg.nodes.size() ||
      std::any_of(cfg.nodes.begin(), cfg.nodes.end(), [](const auto& n) { return n.empty(); }))
    return Error::bad_request(paths.config().string() +
                              ": nodes must be distinct, non-empty node names");
  if (overrides.time_scale) cfg.time_scale = *overrides.time_scale;
  if (overrides.dns_listen) cfg.dns_address = *overrides.dns_listen;
  if (overrides.api_listen && *overrides.api_listen == "none") {
    cfg.api_listen.reset();
  } else if (overrides.api_listen) {
    auto listen = apiserver::parse_listen_address(*overrides.api_listen, "--api-listen");
    if (!listen) return listen.error();
    cfg.api_listen = *listen;
  }
  if (overrides.dns_upstream) {
    auto upstream = dns_upstream_from_flag(*overrides.dns_upstream);
    if (!upstream) return upstream.error();
    cfg.dns_upstream = *upstream;
  }
  // Port 53 on the cluster's own address needs root; otherwise a high port on the same address.
  if (cfg.dns_address.empty())
    cfg.dns_address = cfg.dns_ip() + ":" + std::to_string(default_dns_port());
  if (cfg.dns_address.find(':') == std::string::npos)
    return Error::bad_request("--dns-listen must be ADDRESS:PORT, got \"" + cfg.dns_address + "\"");
  if (cfg.time_scale <= 0) return Error::bad_request("--time-scale must be greater than 0");
  if (cfg.isolation != "auto" && cfg.isolation != "none")
    return Error::bad_request(paths.config().string() +
                              ": isolation must be \"auto\" or \"none\", got \"" + cfg.isolation +
                              "\"");
  if (cfg.container_log_max_bytes < 1024 || cfg.container_log_max_files < 1)
    return Error::bad_request(paths.config().string() +
                              ": containerLogMaxBytes must be at least 1024 and "
                              "containerLogMaxFiles at least 1");

  json out = {{"podOctet", cfg.pod_octet},
              {"podCIDR", cfg.pod_cidr()},
              {"dnsListen", cfg.dns_address},
              {"clusterDomain", cfg.domain},
              {"dns", {{"upstream", cfg.dns_upstream.to_json()}, {"ttl", cfg.dns_ttl}}},
              {"timeScale", cfg.time_scale},
              {"containerLogMaxBytes", cfg.container_log_max_bytes},
              {"containerLogMaxFiles", cfg.container_log_max_files},
              {"shimOrphanGraceSeconds", cfg.shim_orphan_grace_seconds},
              {"isolation", cfg.isolation},
              {"nodes", cfg.nodes},
              {"images", kubelet::images_to_config(cfg.images)}};
  if (cfg.api_listen) out["api"] = {{"listen", cfg.api_listen->to_string()}};
  // (Clusters made before claims existed take theirs on their next start.)
  if (claims && !claims->held_elsewhere(cfg.pod_octet, paths.root))
    claims->claim(cfg.pod_octet, paths.root);
  if (auto st = write_atomically(paths.config(), out.dump(2) + "\n"); !st) return st.error();
  return cfg;
}

}  // namespace kinda::daemon
