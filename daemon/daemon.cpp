#include "daemon/daemon.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "apiserver/endpoints/api_router.hpp"
#include "apiserver/registry/builtin_objects.hpp"
#include "apiserver/registry/object_service.hpp"
#include "apiserver/transport/http_server.hpp"
#include "apiserver/transport/https_listener.hpp"
#include "client/event_recorder.hpp"
#include "controller/claim/claim_controller.hpp"
#include "controller/cronjob/cronjob_controller.hpp"
#include "controller/daemonset/daemonset_controller.hpp"
#include "controller/deployment/deployment_controller.hpp"
#include "controller/disruption/disruption_controller.hpp"
#include "controller/endpoints/endpoints_controller.hpp"
#include "controller/gc/garbage_collector.hpp"
#include "controller/job/job_controller.hpp"
#include "controller/networkpolicy/network_policy_notice.hpp"
#include "controller/node/node_registry.hpp"
#include "controller/replicaset/replicaset_controller.hpp"
#include "controller/scheduler/pod_placements.hpp"
#include "controller/scheduler/scheduler.hpp"
#include "controller/serviceaccount/default_account.hpp"
#include "controller/statefulset/statefulset_controller.hpp"
#include "daemon/cluster_config.hpp"
#include "daemon/cluster_images.hpp"
#include "daemon/dns_feed.hpp"
#include "daemon/dns_thread.hpp"
#include "dns/server.hpp"
#include "dns/zone_index.hpp"
#include "kubelet/pod_manager.hpp"
#include "proxy/proxy_thread.hpp"
#include "proxy/route_feed.hpp"
#include "runtime/cgroup.hpp"
#include "runtime/isolation.hpp"
#include "runtime/process.hpp"
#include "storage/config_drift.hpp"
#include "storage/store.hpp"

namespace kinda::daemon {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// Holds an exclusive lock on run/daemon.pid for the daemon's life; the kernel drops it when the
// process dies, even by kill -9, so a stale file never blocks the next start.
class PidLock {
 public:
  ~PidLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status acquire(const std::filesystem::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return Error::internal("cannot open " + path.string());
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      char buf[32] = {};
      (void)!::pread(fd_, buf, sizeof buf - 1, 0);
      return Error::conflict("the cluster's daemon is already running (pid " +
                             std::string(buf, strcspn(buf, "\n")) + ")");
    }
    auto text = std::to_string(::getpid()) + "\n";
    (void)!::ftruncate(fd_, 0);
    (void)!::pwrite(fd_, text.data(), text.size(), 0);
    return Ok{};
  }

 private:
  int fd_ = -1;
};

void ensure_namespace(apiserver::ObjectService& objects, const std::string& name) {
  const auto& r = *api::find_resource("namespaces");
  if (objects.get(r, "", name)) return;
  (void)objects.create(r, "", json{{"metadata", {{"name", name}}}});
}

// Names outside the cluster domain go to the configured upstream servers; with "host" those are
// the host's resolv.conf nameservers except our own address. Returns what `kinda status` shows.
std::string start_forwarding(dns::Server& server, const ClusterConfig& config) {
  std::vector<dns::UpstreamServer> servers = config.dns_upstream.servers;
  if (config.dns_upstream.mode == DnsUpstream::Mode::None) {
    spdlog::info("DNS: names outside {} are refused (dns.upstream: none)", config.domain);
    return "none";
  }
  if (config.dns_upstream.mode == DnsUpstream::Mode::Host) {
    auto host = dns::host_nameservers();
    if (!host) spdlog::warn("DNS: {}", host.error().message);
    servers = host ? *host : std::vector<dns::UpstreamServer>{};
    std::erase_if(servers, [&config](const dns::UpstreamServer& s) {
      return s.address == config.dns_ip() || s.address == config.dns_host();
    });
  }
  dns::ForwarderOptions options;
  options.servers = servers;
  auto used = server.forward(options);
  if (!used) {
    spdlog::warn("DNS: cannot forward names outside {}: {}; they are refused", config.domain,
                 used.error().message);
    return "none";
  }
  if (used->empty()) {
    spdlog::warn("DNS: no usable upstream server ({}); names outside {} are refused",
                 config.dns_upstream.describe(), config.domain);
    return "none";
  }
  std::string list;
  for (const dns::UpstreamServer& s : *used) list += (list.empty() ? "" : ", ") + s.to_string();
  spdlog::info("DNS: names outside {} are forwarded to {}", config.domain, list);
  return list;
}

// KINDA_REVISION_LOG_RETENTION: how many revisions the log keeps for watches and exact lists
// (default Store::kDefaultLogRetention); tests make it small to reach 410 Expired.
std::optional<size_t> log_retention_from_env() {
  const char* text = std::getenv("KINDA_REVISION_LOG_RETENTION");
  if (!text || !*text) return std::nullopt;
  char* end = nullptr;
  unsigned long long n = std::strtoull(text, &end, 10);
  if (*end || n == 0) {
    spdlog::warn("KINDA_REVISION_LOG_RETENTION={} ignored: not a positive number", text);
    return std::nullopt;
  }
  spdlog::info("the revision log keeps the newest {} revisions", n);
  return static_cast<size_t>(n);
}

int fail(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  spdlog::error("{}", message);
  return 1;
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  ::signal(SIGPIPE, SIG_IGN);
  auto paths = storage::cluster_paths(options.cluster);
  if (!paths) return fail(paths.error().message);
  auto config =
      load_or_create_config(*paths, {options.dns_listen, options.dns_upstream, options.time_scale,
                                     options.node_count, options.api_listen});
  if (!config) return fail(config.error().message);
  if (options.node_count && static_cast<size_t>(*options.node_count) != config->nodes.size())
    spdlog::warn("--nodes {} ignored: cluster {} was created with {} node(s) (config.json nodes)",
                 *options.node_count, paths->name, config->nodes.size());
  std::error_code ec;
  for (const auto& dir : {paths->run(), paths->pods(), paths->volumes(), paths->logs()})
    std::filesystem::create_directories(dir, ec);
  std::filesystem::permissions(paths->run(), std::filesystem::perms::owner_all, ec);

  PidLock lock;
  if (auto st = lock.acquire(paths->pid_file()); !st) return fail(st.error().message);
  // What this daemon applied, for `kinda status` to notice a later edit of config.json.
  if (auto st = storage::record_started_config(*paths); !st)
    spdlog::warn("config.json: {}", st.error().message);

  auto store = storage::Store::open(paths->db());
  if (!store) return fail(store.error().message);
  if (auto retention = log_retention_from_env()) (*store)->set_log_retention(*retention);
  asio::io_context io(1);
  apiserver::ObjectService objects(**store, config->pod_octet);
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"})
    ensure_namespace(objects, ns);
  for (const auto& problem : apiserver::ensure_builtin_objects(objects))
    spdlog::warn("{}", problem);
  client::EventRecorder events(objects);
  const auto isolation_support =
      config->isolation == "none"
          ? runtime::IsolationSupport{runtime::Isolation::None, "isolation: none in config.json"}
          : runtime::probe_isolation();
  const auto isolation = isolation_support.mode;
  const auto& cgroups = runtime::cgroup_support();

  dns::ZoneConfig zone_config;
  zone_config.domain = config->domain;
  zone_config.ttl = config->dns_ttl;
  zone_config.reverse_cidrs = {config->pod_cidr()};
  dns::ZoneIndex zone(zone_config);
  DnsFeed dns_feed(**store, zone);
  dns_feed.start();
  DnsThread dns_thread(zone);
  dns::Server& dns_server = dns_thread.server();
  auto dns_port = dns_server.listen(config->dns_host(), config->dns_port());
  if (!dns_port) return fail("DNS: " + dns_port.error().message);
  // Pods' resolv.conf can only name port 53, so serve there too when the main address differs.
  std::string pod_dns = config->dns_ip() + ":53";
  if (config->dns_address != pod_dns) {
    if (auto extra = dns_server.listen(config->dns_ip(), 53); !extra) {
      spdlog::warn("pods cannot resolve through /etc/resolv.conf: {}", extra.error().message);
      pod_dns.clear();
    }
  }
  const std::string dns_upstream = start_forwarding(dns_server, *config);
  dns_thread.start();

  // The service proxy (kube-proxy): ClusterIPs and NodePorts relayed to endpoints on its thread.
  proxy::ProxyOptions proxy_options;
  proxy_options.time_scale = config->time_scale;
  proxy_options.connect.relay.mode = proxy::relay_mode_from_env();
  proxy::ProxyThread service_proxy(proxy_options);
  service_proxy.on_listen_failure([&io, &objects, &events](const proxy::ListenFailure& failure) {
    asio::post(io, [&objects, &events, failure] {  // the store and the recorder live here
      if (auto svc = objects.store().get("services", failure.ns, failure.service))
        events.record(*svc, "Warning", "FailedToListen", failure.message, "kube-proxy");
    });
  });
  service_proxy.start();
  proxy::RouteFeed service_routes(**store, [&service_proxy](proxy::RouteTable table) {
    service_proxy.set_routes(std::move(table));
  });
  service_routes.start();

  controller::StatefulSetController statefulsets(io, objects, events, config->time_scale);
  controller::DaemonSetController daemonsets(io, objects, events, config->time_scale);
  controller::DisruptionController disruption(io, objects, events, config->time_scale);
  controller::JobController jobs(io, objects, events, config->time_scale);
  controller::CronJobController cronjobs(io, objects, events, config->time_scale);
  controller::ReplicaSetController replicasets(io, objects, events, config->time_scale);
  controller::DeploymentController deployments(io, objects, events, config->time_scale);
  controller::ClaimController claims(io, objects, events, paths->volumes());
  controller::GarbageCollector collector(io, objects);
  controller::EndpointsController endpoint_controller(io, objects);
  controller::NetworkPolicyNotice network_policies(io, objects, events);
  controller::DefaultServiceAccounts default_accounts(io, objects);
  controller::NodeRegistry nodes(io, objects, events, config->nodes, controller::probe_host());
  controller::PodPlacements placements(objects.store());
  auto choose_node = [&objects, &placements](const json& pod) {
    // A bound pod only has its node checked; the other pods matter only for placing a new one.
    const bool bound = !api::string_at(pod, "spec.nodeName").empty();
    return controller::schedule_with_load(
        pod, objects.store().list("nodes"),
        bound ? controller::NodeLoad{} : placements.load_for(api::controller_uid(pod)));
  };
  auto kubelet_settings = kubelet_config(*config);
  kubelet_settings.images = load_cluster_images(*paths, *config).images;
  kubelet::PodManager pods(
      io, objects, events,
      kubelet::PodManagerOptions{kubelet_settings, *paths, isolation, runtime::self_exe(),
                                 choose_node,
                                 [&placements](const std::string& ip, const std::string& uid) {
                                   return placements.address_held_by_another(ip, uid);
                                 }});

  std::string api_listen;  // the HTTPS listener's bound address, set below when there is one
  apiserver::RouterHooks hooks;
  hooks.time_scale = config->time_scale;
  hooks.pod_log = [&pods](const api::PodLogRequest& r) { return pods.logs(r); };
  hooks.pod_exec = [&pods](const std::string& ns, const std::string& pod,
                           const apiserver::Request& r) { return pods.exec(ns, pod, r); };
  hooks.node_action = [&](const std::string& node, const std::string& action) -> Result<json> {
    if (action == "recover") return nodes.mark_ready(node);
    if (action != "fail")
      return Error{404, "NotFound", "unknown node action \"" + action + "\"", {}};
    auto lost = nodes.mark_lost(node);
    if (lost) pods.fail_node(node);
    return lost;
  };
  hooks.cluster_status = [&] {
    return json{{"cluster", paths->name},
                {"root", paths->root.string()},
                {"pid", ::getpid()},
                {"isolation", runtime::to_string(isolation)},
                {"isolationDetail", runtime::to_string(isolation_support)},
                {"cgroups", runtime::to_string(cgroups)},
                {"dnsListen", config->dns_host() + ":" + std::to_string(*dns_port)},
                {"podDNS", pod_dns},
                {"dnsUpstream", dns_upstream},
                {"podCIDR", config->pod_cidr()},
                {"clusterDomain", config->domain},
                {"timeScale", config->time_scale},
                {"runningPods", pods.running_pods()},
                {"revision", (*store)->revision()},
                {"apiListen", api_listen}};
  };
  apiserver::ApiRouter router(io, objects, hooks);
  apiserver::HttpServer http(io,
                             [&router](const apiserver::Request& r) { return router.handle(r); });
  if (auto st = http.listen_unix(paths->api_socket()); !st) return fail(st.error().message);
  if (config->api_listen) {
    auto bound = apiserver::start_https_listener(http, *paths, *config->api_listen);
    if (!bound) return fail(bound.error().message);
    api_listen = *bound;
  }

  nodes.start();
  claims.start();
  statefulsets.start();
  daemonsets.start();
  disruption.start();
  jobs.start();
  cronjobs.start();
  replicasets.start();
  deployments.start();
  collector.start();
  endpoint_controller.start();
  network_policies.start();
  default_accounts.start();
  pods.start();
  spdlog::info("cluster {} up: api {} dns {} pods {} isolation {}", paths->name,
               paths->api_socket().string(), config->dns_host() + ":" + std::to_string(*dns_port),
               config->pod_cidr(), runtime::to_string(isolation));

  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: stopping pods in reverse ordinal order", signal);
    http.stop();
    dns_thread.stop();
    pods.shutdown([&] {
      spdlog::info("all pods stopped; daemon exits");
      service_proxy.stop();  // last: pods' preStop hooks may still talk to Services
      // The cluster's cgroup tree (pod groups are removed by their shims); absent when unused.
      if (cgroups.mode != runtime::CgroupSupport::None)
        (void)runtime::remove_cgroup("kinda-" + paths->name);
      io.stop();
    });
  });
  io.run();
  std::filesystem::remove(paths->api_socket(), ec);
  return 0;
}

}  // namespace kinda::daemon
