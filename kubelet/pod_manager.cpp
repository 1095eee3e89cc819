#include "kubelet/pod_manager.hpp"

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <unordered_set>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "api/quantity.hpp"
#include "api/timestamps.hpp"
#include "kubelet/container_launch.hpp"
#include "kubelet/pod_run.hpp"
#include "kubelet/prober/probes.hpp"
#include "kubelet/process_scan.hpp"
#include "kubelet/streaming/log_stream.hpp"
#include "kubelet/streaming/pod_exec.hpp"
#include "runtime/cgroup.hpp"
#include "runtime/process.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::kubelet {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;
using Timer = asio::steady_timer;
using std::chrono::milliseconds;
using State = ContainerState;

const api::ResourceInfo& pods_resource() {
  return *api::find_resource("pods");
}

// The kubelet's container restart back-off: 10 s doubling to 5 min.
constexpr auto kBackoffInitial = std::chrono::seconds(10);
constexpr auto kBackoffMax = std::chrono::seconds(300);
// A container that ran this long without crashing starts its back-off afresh.
constexpr auto kBackoffReset = std::chrono::minutes(10);
// How long a pod whose shim is gone although its object remains waits before it is started anew.
constexpr double kStrayGraceSeconds = 2;

std::string restart_policy(const PodRun& run) {
  return api::string_at(run.pod, "spec.restartPolicy", "Always");
}

std::string upper_env_name(std::string name) {
  for (auto& ch : name) ch = ch == '-' || ch == '.' ? '_' : static_cast<char>(std::toupper(ch));
  return name;
}

// The container a pods/log or pods/exec request means: the one it names, else the pod's only
// container (with the API server's message when there are several).
Result<std::string> requested_container(const json& pod, const std::string& named) {
  if (!named.empty()) return named;
  auto containers = pod["spec"].value("containers", json::array());
  if (containers.size() == 1) return containers[0].value("name", "");
  std::string names;
  for (const auto& c : containers) names += (names.empty() ? "" : " ") + c.value("name", "");
  return Error::bad_request("a container name must be specified for pod " + api::name_of(pod) +
                            ", choose one of: [" + names + "]");
}

// Whether the pod's spec has a container or init container of that name; the 400 if not.
Status check_container_named(const json& pod, const std::string& name) {
  auto named = [&](const json& c) { return c.value("name", "") == name; };
  for (const char* list : {"containers", "initContainers"}) {
    auto containers = pod["spec"].value(list, json::array());
    if (std::any_of(containers.begin(), containers.end(), named)) return Ok{};
  }
  return Error::bad_request("container " + name + " is not valid for pod " + api::name_of(pod));
}

}  // namespace

struct PodManager::Impl {
  Impl(asio::io_context& io_, apiserver::ObjectService& objects_, client::EventRecorder& events_,
       PodManagerOptions o)
      : io(io_),
        objects(objects_),
        events(events_),
        opt(std::move(o)),
        queue(io_, [this](const std::string& key) { sync(key); }) {}

  asio::io_context& io;
  apiserver::ObjectService& objects;
  client::EventRecorder& events;
  PodManagerOptions opt;
  client::WorkQueue queue;
  storage::Subscription subscription;
  std::map<std::string, std::unique_ptr<PodRun>> runs;
  // Where the next address search starts: like the host-local IPAM plugin, addresses are handed
  // out round-robin, so a recreated pod gets a new IP and only its DNS name stays the same.
  int next_address = 0;
  bool shutting_down = false;

  milliseconds scaled(double seconds) const {
    return milliseconds(
        static_cast<long long>(std::llround(seconds * 1000.0 * opt.config.time_scale)));
  }

  // ---- start-up: re-adopting the shims a previous daemon left running ----

  void start() {
    adopt_shims();
    end_strays();
    subscription = objects.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
    for (const auto& pod : objects.store().list("pods"))
      queue.add(api::namespace_of(pod) + "/" + api::name_of(pod));
  }

  void adopt_shims() {
    std::error_code ec;
    for (const auto& ns_dir : fs::directory_iterator(opt.paths.pods(), ec)) {
      std::error_code ec2;
      for (const auto& pod_dir : fs::directory_iterator(ns_dir.path(), ec2)) {
        auto socket = pod_dir.path() / "shim.sock";
        if (!fs::exists(socket, ec2)) continue;
        json state;
        auto client = ShimClient::reconnect(io, socket.string(), &state);
        if (!client) {
          spdlog::warn("pod {}/{}: shim not reachable ({}); its processes will be ended",
                       ns_dir.path().filename().string(), pod_dir.path().filename().string(),
                       client.error().message);
          continue;
        }
        adopt(ns_dir.path().filename().string(), pod_dir.path().filename().string(),
              std::move(*client), state);
      }
    }
  }

  void adopt(const std::string& ns, const std::string& name, std::unique_ptr<ShimClient> client,
             const json& state) {
    auto pod = objects.store().get("pods", ns, name);
    auto shim_uid = state.value("uid", "");
    bool keep = pod && api::uid_of(*pod) == shim_uid && api::pod_phase(*pod) != "Succeeded" &&
                api::pod_phase(*pod) != "Failed";
    json base = keep ? *pod
                     : json{{"metadata", {{"name", name}, {"namespace", ns}, {"uid", shim_uid}}},
                            {"spec", json::object()}};
    auto run = new_run(base);
    auto* raw = run.get();
    runs[run->key] = std::move(run);
    raw->shim = std::move(client);
    raw->shim_pid = state.value("pid", 0);
    raw->shim_ready = true;
    raw->sandbox_pid = state.value("sandboxPid", 0);
    raw->ip = api::string_at(base, "status.podIP");
    raw->start_time = api::string_at(base, "status.startTime", api::now_rfc3339());
    listen_to_shim(*raw);
    watch_shim(*raw);
    spdlog::info("pod {}: re-adopted its shim (pid {}, sandbox pid {})", raw->key, raw->shim_pid,
                 raw->sandbox_pid);
    if (!keep) {
      // Its object is gone or replaced: we know nothing of its containers, so the shim itself
      // stops them, with a short grace.
      raw->shim_stop_grace = scaled(kStrayGraceSeconds);
      return begin_termination(*raw, kStrayGraceSeconds);
    }
    prepare_volumes(*raw);

    const json& known = state.value("containers", json::object());
    std::vector<std::pair<ContainerRun*, json>> exited;
    raw->each_container([&](ContainerRun& c) {
      if (!known.contains(c.name)) return;
      const json& k = known[c.name];
      c.ever_ran = true;
      c.started_at = k.value("startedAt", api::now_rfc3339());
      if (!c.init) raw->initialized = true;  // as the kubelet: a started container means init done
      if (k.value("running", false)) {
        c.pid = k.value("pid", 0);
        c.state = State::Running;
        c.reason.clear();
        c.run_began = std::chrono::steady_clock::now();
        auto launch = launch_for(*raw, c);
        if (auto* l = std::get_if<ContainerLaunch>(&launch)) c.env = l->env;
      } else {
        exited.emplace_back(&c, k);
      }
    });
    if (!raw->initialized)
      raw->initialized =
          std::all_of(raw->init_containers.begin(), raw->init_containers.end(), [&](const auto& c) {
            return known.contains(c->name) && !known[c->name].value("running", true) &&
                   known[c->name].value("exitCode", 1) == 0;
          });
    raw->phase = raw->initialized ? "Running" : "Pending";
    raw->each_container([&](ContainerRun& c) {
      if (c.state == State::Running) start_probes(*raw, c);
    });
    // Exits that happened while no daemon watched: the shim kept their real exit codes.
    for (auto& [c, k] : exited) {
      c->pid = k.value("pid", 0);
      on_container_exit(*raw, *c, k.value("exitCode", 0), k.value("reason", "Error"),
                        k.value("finishedAt", ""));
    }
    continue_pod(*raw);
    write_status(*raw);
  }

  // Processes of this cluster that no live shim owns: left by a shim that was killed, or by a
  // daemon of an older kinda. Nothing may run under an identity the daemon does not know about.
  // Of a pod whose shim lives on, the processes its dead daemon ran in the containers' namespaces
  // (probes, hooks, kubectl exec) end too: their clients went with that daemon.
  void end_strays() {
    for (auto& [key, f] : scan_cluster_processes(opt.paths.root.string())) {
      if (runs.count(key)) {
        for (pid_t pid : f.orphans) {
          spdlog::warn("pod {}: ending process {} a previous daemon left running in it", key, pid);
          runtime::signal_group(pid, SIGKILL);
        }
        continue;
      }
      spdlog::warn("ending stray processes of {} (no live shim owns them)", key);
      kill_found(f);
    }
  }

  static void kill_found(const FoundPod& f) {
    for (pid_t pid : f.shim_pids) ::kill(pid, SIGKILL);
    for (pid_t pid : f.session_leaders) runtime::signal_group(pid, SIGKILL);
    if (f.sandbox_pid) ::kill(f.sandbox_pid, SIGKILL);
  }

  static int previous_restart_count(const json& pod, const std::string& container) {
    for (const char* list : {"status.containerStatuses", "status.initContainerStatuses"}) {
      const auto* statuses = api::find_path(pod, list);
      if (statuses && statuses->is_array())
        for (const auto& s : *statuses)
          if (s.value("name", "") == container) return s.value("restartCount", 0);
    }
    return 0;
  }

  // ---- reacting to the store ----

  void on_event(const storage::WatchEvent& e) {
    if (e.resource == "pods") {
      queue.add(api::namespace_of(e.object) + "/" + api::name_of(e.object));
    } else if (e.resource == "configmaps" || e.resource == "secrets") {
      // A container waiting for a ConfigMap or Secret tries again as soon as one appears.
      // Not a structured binding: clang before 16 cannot capture one in the lambda below.
      for (auto& entry : runs) {
        auto& run = entry.second;
        if (run->ns != api::namespace_of(e.object)) continue;
        run->each_container([&](ContainerRun& c) {
          if (c.reason == "CreateContainerConfigError" && !c.live() && c.restart_timer) {
            c.restart_timer->cancel();
            c.restart_timer.reset();
            start_container(*run, c);
          }
        });
      }
    } else if (e.resource == "persistentvolumeclaims" || e.resource == "nodes") {
      // A claim bound late, or a node that became schedulable again, unblocks pods waiting.
      for (const auto& pod : objects.store().list("pods", api::namespace_of(e.object)))
        if (!runs.count(api::namespace_of(pod) + "/" + api::name_of(pod)))
          queue.add(api::namespace_of(pod) + "/" + api::name_of(pod));
    }
  }

  void sync(const std::string& key) {
    if (shutting_down) return;
    auto slash = key.find('/');
    auto found = objects.store().get("pods", key.substr(0, slash), key.substr(slash + 1));
    auto it = runs.find(key);
    if (it != runs.end()) {
      PodRun& run = *it->second;
      if (!found || api::uid_of(*found) != run.uid) {
        // The object went or was replaced: the old processes must end before anything new starts.
        if (!run.terminating) begin_termination(run, 0);
        return;
      }
      run.pod = *found;
      if (api::is_terminating(*found) && !run.terminating)
        begin_termination(run, api::int_at(*found, "metadata.deletionGracePeriodSeconds", 30));
      return;
    }
    if (!found) return;
    if (api::is_terminating(*found)) return finalize_object(*found);
    if (api::pod_finished(*found)) return;
    start_pod(*found);
  }

  // ---- starting ----

  std::unique_ptr<PodRun> new_run(const json& pod) {
    auto run = std::make_unique<PodRun>();
    run->ns = api::namespace_of(pod);
    run->name = api::name_of(pod);
    run->key = run->ns + "/" + run->name;
    run->uid = api::uid_of(pod);
    run->pod = pod;
    run->dir = opt.paths.pods() / run->ns / run->name;
    const json& spec = pod.contains("spec") ? pod["spec"] : json::object();
    for (const char* list : {"initContainers", "containers"})
      for (const auto& container : spec.value(list, json::array())) {
        auto c = std::make_unique<ContainerRun>();
        c->name = container.value("name", "");
        c->spec = container;
        c->init = std::string(list) == "initContainers";
        c->restart_count = previous_restart_count(pod, c->name);
        c->started = !container.contains("startupProbe");
        (c->init ? run->init_containers : run->containers).push_back(std::move(c));
      }
    run->initialized = run->init_containers.empty();
    if (!run->initialized)
      for (auto& c : run->containers) c->reason = "PodInitializing";
    return run;
  }

  // Resolves the pod's volumes to host directories; returns a problem message when a claim is
  // missing or not yet bound, so the pod waits in Pending like one waiting for its volume.
  std::string prepare_volumes(PodRun& run) {
    run.mounts.clear();
    run.volume_env.clear();
    std::map<std::string, fs::path> sources;
    for (const auto& v : run.pod["spec"].value("volumes", json::array())) {
      std::string name = v.value("name", "");
      fs::path source;
      if (v.contains("persistentVolumeClaim")) {
        auto claim_name = api::string_at(v, "persistentVolumeClaim.claimName");
        auto claim = objects.store().get("persistentvolumeclaims", run.ns, claim_name);
        if (!claim) return "persistentvolumeclaim \"" + claim_name + "\" not found";
        if (api::is_terminating(*claim))
          return "persistentvolumeclaim \"" + claim_name + "\" is being deleted";
        if (api::string_at(*claim, "status.phase") != "Bound")
          return "pod has unbound immediate PersistentVolumeClaims";
        source = opt.paths.volumes() / run.ns / claim_name;
      } else if (v.contains("emptyDir")) {
        source = run.dir / "volumes" / name;
      } else if (v.contains("hostPath")) {
        source = api::string_at(v, "hostPath.path");
        if (api::string_at(v, "hostPath.type") == "DirectoryOrCreate") {
          std::error_code ec;
          fs::create_directories(source, ec);
        }
      } else {
        return "volume \"" + name +
               "\": only persistentVolumeClaim, emptyDir and hostPath volumes are supported";
      }
      std::error_code ec;
      if (!v.contains("hostPath")) fs::create_directories(source, ec);
      sources[name] = source;
      run.volume_env.emplace_back("KINDA_VOLUME_" + upper_env_name(name), source.string());
    }
    std::set<std::string> targets;
    for (const auto& c : run.pod["spec"].value("containers", json::array()))
      for (const auto& m : c.value("volumeMounts", json::array())) {
        auto target = m.value("mountPath", "");
        if (!targets.insert(target).second) continue;
        auto source = sources[m.value("name", "")];
        if (auto sub = m.value("subPath", ""); !sub.empty()) {
          source /= sub;
          std::error_code ec;
          fs::create_directories(source, ec);
        }
        run.mounts.push_back({source.string(), target, m.value("readOnly", false)});
      }
    return "";
  }

  std::string allocate_ip(const json& pod) {
    std::unordered_set<std::string> running;
    for (const auto& [key, run] : runs) running.insert(run->ip);
    const std::string uid = api::uid_of(pod);
    auto used = [&](const std::string& ip) {
      return running.count(ip) > 0 || opt.address_held_by_another(ip, uid);
    };
    auto previous = api::string_at(pod, "status.podIP");
    if (!previous.empty() && !used(previous)) return previous;
    // 127.X.0.1 is the cluster's DNS; hosts .1–.254 of each /24 below it are pod addresses.
    const std::string prefix = "127." + std::to_string(opt.config.pod_octet) + ".";
    constexpr int kHosts = 254, kAddresses = 255 * kHosts;
    for (int n = 0; n < kAddresses; ++n) {
      const int index = (next_address + n) % kAddresses;
      const int third = index / kHosts, fourth = 1 + index % kHosts;
      if (third == 0 && fourth == 1) continue;
      auto ip = prefix + std::to_string(third) + "." + std::to_string(fourth);
      if (used(ip)) continue;
      next_address = (index + 1) % kAddresses;
      return ip;
    }
    return "";
  }

  void write_pod_files(const PodRun& run) {
    const auto& domain = opt.config.domain;
    std::ofstream resolv(run.dir / "resolv.conf", std::ios::trunc);
    resolv << "search " << run.ns << ".svc." << domain << " svc." << domain << " " << domain << "\n"
           << "nameserver " << opt.config.dns_ip << "\n"
           << "options ndots:5\n";
    std::ofstream hosts(run.dir / "hosts", std::ios::trunc);
    hosts << "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
             "ip6-loopback\n";
    auto hostname = api::string_at(run.pod, "spec.hostname", run.name);
    auto subdomain = api::string_at(run.pod, "spec.subdomain");
    hosts << run.ip << "\t";
    if (!subdomain.empty())
      hosts << hostname << "." << subdomain << "." << run.ns << ".svc." << domain << "\t";
    hosts << hostname << "\n";
  }

  std::variant<ContainerLaunch, LaunchProblem> launch_for(const PodRun& run,
                                                          const ContainerRun& c) {
    LaunchContext ctx;
    ctx.images = &opt.config.images;
    ctx.config_path = opt.paths.config().string();
    ctx.pod_ip = run.ip;
    const char* path = std::getenv("PATH");
    ctx.host_path = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    ctx.base_env = {{"KINDA_CLUSTER_ROOT", opt.paths.root.string()},
                    {"KINDA_POD", run.key},
                    {"KINDA_POD_UID", run.uid},
                    {"KINDA_CONTAINER", c.name}};
    if (!runtime::has_pod_namespaces(opt.isolation))
      ctx.base_env.insert(ctx.base_env.end(), run.volume_env.begin(), run.volume_env.end());
    ctx.lookup = [this, ns = run.ns](const std::string& plural,
                                     const std::string& name) -> std::optional<json> {
      auto found = objects.store().get(plural, ns, name);
      if (!found) return std::nullopt;
      return *found;
    };
    return build_launch(run.pod, c.spec, ctx);
  }

  // Where a container's working directory is on the host when pods share the host's filesystem.
  std::string host_dir_for(const PodRun& run, const std::string& inside) {
    if (inside.empty()) return run.dir.string();
    for (const auto& m : run.mounts) {
      if (inside == m.target) return m.source;
      if (inside.rfind(m.target + "/", 0) == 0) return m.source + inside.substr(m.target.size());
    }
    std::error_code ec;
    if (fs::is_directory(inside, ec)) return inside;
    auto dir = run.dir / "workdir";
    fs::create_directories(dir, ec);
    return dir.string();
  }

  // The pod waits in Pending: PodScheduled False and a FailedScheduling event, once per reason.
  void report_unschedulable(const json& pod, const std::string& problem) {
    if (api::string_at(pod, "status.conditions.0.message") == problem) return;
    events.record(pod, "Warning", "FailedScheduling", problem, "default-scheduler");
    json fresh = pod;
    fresh["status"]["conditions"] = {{{"type", "PodScheduled"},
                                      {"status", "False"},
                                      {"reason", "Unschedulable"},
                                      {"message", problem},
                                      {"lastTransitionTime", api::now_rfc3339()}}};
    (void)objects.update_status(pods_resource(), fresh);
  }

  void start_pod(const json& pod) {
    auto node = opt.choose_node(pod);
    if (!node) {
      // Bound to a node that is lost: no kubelet is there to run it.
      if (!api::string_at(pod, "spec.nodeName").empty()) return;
      return report_unschedulable(pod, node.error().message);
    }
    auto run = new_run(pod);
    std::error_code ec;
    fs::create_directories(run->dir, ec);
    if (auto problem = prepare_volumes(*run); !problem.empty())
      return report_unschedulable(pod, problem);
    run->ip = allocate_ip(pod);
    if (run->ip.empty()) {
      events.record(pod, "Warning", "FailedCreatePodSandBox", "no free pod address", "kubelet");
      return;
    }
    run->start_time = api::now_rfc3339();
    write_pod_files(*run);

    // Bind the node the way the scheduler does, once.
    if (api::string_at(pod, "spec.nodeName").empty()) {
      json bound = pod;
      bound["spec"]["nodeName"] = *node;
      if (auto written = objects.store().update("pods", bound)) run->pod = *written;
      events.record(run->pod, "Normal", "Scheduled",
                    "Successfully assigned " + run->key + " to " + *node, "default-scheduler");
    }
    auto* raw = run.get();
    runs[run->key] = std::move(run);
    spdlog::info("pod {}: starting at {}", raw->key, raw->ip);
    launch_shim(*raw);
    write_status(*raw);
  }

  // The sandbox the shim builds before any container starts: hostname, resolver files, volumes.
  std::string write_sandbox(PodRun& run) {
    if (!runtime::has_pod_namespaces(opt.isolation)) return "";
    runtime::SandboxSpec spec;
    spec.hostname = api::string_at(run.pod, "spec.hostname", run.name);
    spec.dir = run.dir.string();
    spec.resolv_conf = (run.dir / "resolv.conf").string();
    spec.hosts = (run.dir / "hosts").string();
    spec.mounts = run.mounts;
    // Like Docker creating an image's WORKDIR: a working directory that exists neither on the
    // host nor in a volume gets an empty directory of the pod's own.
    std::error_code ec;
    run.each_container([&](ContainerRun& c) {
      auto launch = launch_for(run, c);
      auto* l = std::get_if<ContainerLaunch>(&launch);
      if (!l || l->working_dir.empty() || fs::is_directory(l->working_dir, ec)) return;
      bool covered = std::any_of(spec.mounts.begin(), spec.mounts.end(), [&](const auto& m) {
        return l->working_dir == m.target || l->working_dir.rfind(m.target + "/", 0) == 0;
      });
      if (covered) return;
      auto dir = run.dir / "workdirs" / c.name;
      fs::create_directories(dir, ec);
      spec.mounts.push_back({dir.string(), l->working_dir, false});
    });
    auto path = (run.dir / "sandbox.json").string();
    if (auto written = runtime::write_sandbox_spec(spec, path); !written) {
      spdlog::warn("pod {}: {}", run.key, written.error().message);
      return "";
    }
    return path;
  }

  void launch_shim(PodRun& run) {
    shim::ShimSpec spec;
    spec.key = run.key;
    spec.uid = run.uid;
    spec.pod_dir = run.dir.string();
    spec.cluster_root = opt.paths.root.string();
    spec.daemon_pid_file = opt.paths.pid_file().string();
    spec.sandbox_spec = write_sandbox(run);
    spec.self_exe = opt.self_exe;
    spec.orphan_grace_ms = scaled(opt.config.shim_orphan_grace_seconds).count();
    spec.stop_grace_ms =
        scaled(static_cast<double>(api::int_at(run.pod, "spec.terminationGracePeriodSeconds", 30)))
            .count();
    spec.log_max_bytes = opt.config.container_log_max_bytes;
    spec.log_max_files = opt.config.container_log_max_files;
    spec.cgroup_parent = "kinda-" + opt.paths.name + "/" + run.uid;
    ++run.start_attempts;
    auto client = ShimClient::launch(
        io, spec,
        [this, key = run.key, uid = run.uid](const json& e) { on_shim_event(key, uid, e); }, [] {},
        &run.shim_pid);
    if (!client) return shim_failed(run, "FailedCreatePodSandBox", client.error().message);
    run.shim = std::move(*client);
    watch_shim(run);
  }

  void listen_to_shim(PodRun& run) {
    run.shim->listen(
        [this, key = run.key, uid = run.uid](const json& e) { on_shim_event(key, uid, e); }, [] {});
  }

  PodRun* find_run(const std::string& key, const std::string& uid) {
    auto it = runs.find(key);
    return it != runs.end() && it->second->uid == uid ? it->second.get() : nullptr;
  }

  void on_shim_event(const std::string& key, const std::string& uid, const json& e) {
    auto* run = find_run(key, uid);
    if (!run) return;
    auto kind = e.value("event", "");
    if (kind == "ready") {
      run->shim_ready = true;
      run->start_attempts = 0;
      run->sandbox_pid = e.value("sandboxPid", 0);
      if (run->terminating) return maybe_finish(*run);
      continue_pod(*run);
      write_status(*run);
    } else if (kind == "failed") {
      shim_failed(*run, e.value("reason", "FailedCreatePodSandBox"), e.value("message", ""));
    } else if (kind == "exit") {
      auto* c = run->container(e.value("name", ""));
      if (c && c->pid == e.value("pid", 0))
        on_container_exit(*run, *c, e.value("exitCode", 0), e.value("reason", "Error"),
                          e.value("finishedAt", ""));
    } else if (kind == "sandboxExit") {
      run->sandbox_pid = 0;
      if (run->terminating || run->completed) return;
      // Without its namespaces the pod cannot go on; stop it and start it afresh.
      spdlog::warn("pod {}: sandbox ended unexpectedly; restarting the pod", key);
      events.record(run->pod, "Normal", "SandboxChanged",
                    "Pod sandbox changed, it will be killed and re-created.", "kubelet");
      run->for_shutdown = true;
      run->on_stopped = [this, key] { queue.add(key); };
      begin_termination(*run, 0);
    }
  }

  // The shim could not build the pod (or another shim holds the identity): report it, and once
  // this shim is gone try again after a back-off, as the kubelet retries a failed sandbox.
  void shim_failed(PodRun& run, const std::string& reason, const std::string& message) {
    spdlog::warn("pod {}: shim failed: {}: {}", run.key, reason, message);
    events.record(run.pod, "Warning", "FailedCreatePodSandBox",
                  "Failed to create pod sandbox: " + message, "kubelet");
    run.each_container([&](ContainerRun& c) { c.message = message; });
    write_status(run);
    double delay = std::min(30.0, 1.0 * (1 << std::min(run.start_attempts, 5)));
    run.for_shutdown = true;  // keep the object; the retry starts a fresh run
    run.on_stopped = [this, key = run.key, delay] {
      auto timer = std::make_shared<Timer>(io, scaled(delay));
      timer->async_wait([this, key, timer](boost::system::error_code ec) {
        if (!ec) queue.add(key);
      });
    };
    run.terminating = true;
    maybe_finish(run);
  }

  void watch_shim(PodRun& run) {
    if (run.shim_pid <= 0) return;
    run.shim_watcher = std::make_unique<runtime::ExitWatcher>(
        io, run.shim_pid, [this, key = run.key, uid = run.uid](std::optional<int>) {
          auto* r = find_run(key, uid);
          if (!r) return;
          r->shim_pid = 0;
          r->sandbox_pid = 0;
          r->shim.reset();
          bool expected = r->terminating || r->completed;
          if (!expected) {
            // Killed from outside: whatever it left behind ends, and the pod starts afresh.
            spdlog::warn("pod {}: its shim ended unexpectedly; restarting the pod", key);
            events.record(r->pod, "Normal", "SandboxChanged",
                          "Pod sandbox changed, it will be killed and re-created.", "kubelet");
            auto found = scan_cluster_processes(opt.paths.root.string());
            if (auto it = found.find(key); it != found.end()) kill_found(it->second);
            r->terminating = true;
            r->for_shutdown = true;
            r->on_stopped = [this, key] { queue.add(key); };
          }
          r->each_container([](ContainerRun& c) {
            c.pid = 0;
            c.starting = false;
          });
          maybe_finish(*r);
        });
  }

  // Starts what should run next: the first unfinished init container, or every container.
  void continue_pod(PodRun& run) {
    if (run.terminating || run.completed || !run.shim_ready || shutting_down) return;
    if (!run.initialized) {
      for (auto& c : run.init_containers) {
        if (c->completed()) continue;
        if (!c->live() && !c->restart_timer && c->state != State::Terminated)
          start_container(run, *c);
        return;
      }
      run.initialized = true;
      run.phase = "Running";
      for (auto& c : run.containers)
        if (c->reason == "PodInitializing") c->reason = "ContainerCreating";
    }
    for (auto& c : run.containers)
      if (!c->live() && !c->ever_ran && !c->restart_timer) start_container(run, *c);
  }

  void start_container(PodRun& run, ContainerRun& c) {
    if (run.terminating || shutting_down || !run.shim) return;
    auto launch = launch_for(run, c);
    if (auto* problem = std::get_if<LaunchProblem>(&launch)) {
      if (c.reason != problem->reason)
        events.record(run.pod, "Warning", "Failed", "Error: " + problem->message, "kubelet");
      c.state = State::Waiting;
      c.reason = problem->reason;
      c.message = problem->message;
      write_status(run);
      // The kubelet keeps retrying a container it cannot create (a ConfigMap may appear).
      return retry_later(run, c, kBackoffInitial.count());
    }
    auto& l = std::get<ContainerLaunch>(launch);
    fs::path log_dir = opt.paths.logs() / run.ns / run.name / c.name;
    std::error_code ec;
    fs::create_directories(log_dir, ec);
    c.env = l.env;
    c.host_working_dir = runtime::has_pod_namespaces(opt.isolation)
                             ? l.working_dir
                             : host_dir_for(run, l.working_dir);
    json request = {{"op", "start"},
                    {"name", c.name},
                    {"argv", l.argv},
                    {"env", l.env},
                    {"workingDir", c.host_working_dir},
                    {"log", (log_dir / (std::to_string(c.restart_count) + ".log")).string()}};
    for (const auto& warning : l.warnings)
      events.record(run.pod, "Warning", kInvalidEnvironmentVariableNames, warning, "kubelet");
    add_limits(run, c, request);
    c.starting = true;
    c.state = State::Waiting;
    c.reason = "ContainerCreating";
    c.message.clear();
    run.shim->request(request, [this, key = run.key, uid = run.uid, name = c.name](const json& r) {
      auto* run = find_run(key, uid);
      auto* c = run ? run->container(name) : nullptr;
      if (c) on_started(*run, *c, r);
    });
  }

  // resources.limits become a cgroup of the container's own, made by the shim, when the machine
  // lets us create cgroups; otherwise they are recorded in the spec and reported as not enforced.
  void add_limits(PodRun& run, ContainerRun& c, json& request) {
    const json* limits = api::find_path(c.spec, "resources.limits");
    if (!limits || !limits->is_object() || limits->empty()) return;
    const auto& support = runtime::cgroup_support();
    if (support.mode == runtime::CgroupSupport::None) {
      if (!run.limits_warned)
        events.record(run.pod, "Warning", "ResourceLimitsNotEnforced",
                      "resources.limits of container " + c.name +
                          " are recorded but not enforced: cgroups " + runtime::to_string(support),
                      "kubelet");
      run.limits_warned = true;
      return;
    }
    request["cgroup"] = "kinda-" + opt.paths.name + "/" + run.uid + "/" + c.name;
    if (limits->contains("memory"))
      if (auto bytes = api::memory_bytes((*limits)["memory"])) request["memoryBytes"] = *bytes;
    if (limits->contains("cpu"))
      if (auto milli = api::cpu_millicores((*limits)["cpu"])) request["cpuMillicores"] = *milli;
  }

  void retry_later(PodRun& run, ContainerRun& c, double seconds) {
    c.restart_timer = std::make_unique<Timer>(io, scaled(seconds));
    c.restart_timer->async_wait(
        [this, key = run.key, uid = run.uid, name = c.name](boost::system::error_code ec) {
          if (ec) return;
          auto* run = find_run(key, uid);
          auto* c = run ? run->container(name) : nullptr;
          if (!c || c->live()) return;
          c->restart_timer.reset();
          start_container(*run, *c);
        });
  }

  void on_started(PodRun& run, ContainerRun& c, const json& reply) {
    c.starting = false;
    if (!reply.value("ok", false)) {
      auto message = reply.value("error", std::string("the shim refused to start it"));
      events.record(run.pod, "Warning", "Failed", "Error: " + message, "kubelet");
      if (run.terminating) return maybe_finish(run);
      c.state = State::Terminated;
      c.reason = "StartError";
      c.message = message;
      c.exit_code = 128;
      c.started_at = c.finished_at = api::now_rfc3339();
      c.ever_ran = true;
      c.run_began = std::chrono::steady_clock::now();
      return after_exit(run, c, 128);
    }
    c.pid = reply.value("pid", 0);
    c.state = State::Running;
    c.reason.clear();
    c.message.clear();
    c.started_at = reply.value("startedAt", api::now_rfc3339());
    c.ever_ran = true;
    c.ready = false;
    c.run_began = std::chrono::steady_clock::now();
    ++c.run_id;
    if (run.terminating) return signal(run, c, SIGTERM);
    spdlog::info("pod {}: container {} started (pid {})", run.key, c.name, c.pid);
    events.record(run.pod, "Normal", "Created", "Created container " + c.name, "kubelet");
    const json* hook = api::find_path(c.spec, "lifecycle.postStart");
    if (!hook || c.init) return became_running(run, c);
    // As the kubelet: the container is not Running until its postStart hook has succeeded; a
    // failed hook kills it, and the restart policy decides what follows.
    c.state = State::Waiting;
    c.reason = "ContainerCreating";
    run_hook(
        run, c, *hook, scaled(grace_of(run)),
        [this, key = run.key, uid = run.uid, name = c.name, run_id = c.run_id](
            bool ok, const std::string& message) {
          auto* run = find_run(key, uid);
          auto* c = run ? run->container(name) : nullptr;
          if (!c || c->run_id != run_id || c->pid <= 0 || run->terminating) return;
          if (ok) return became_running(*run, *c);
          events.record(run->pod, "Warning", "FailedPostStartHook",
                        "PostStartHook failed for container " + name + ": " + message, "kubelet");
          c->message = "PostStartHook failed";
          kill_for_restart(*run, *c, "FailedPostStartHook: container " + name + " will be killed");
        });
  }

  void became_running(PodRun& run, ContainerRun& c) {
    c.state = State::Running;
    c.reason.clear();
    if (run.initialized) run.phase = "Running";
    events.record(run.pod, "Normal", "Started", "Started container " + c.name, "kubelet");
    if (!c.init) start_probes(run, c);
    write_status(run);
  }

  // A lifecycle hook handler: exec, httpGet and tcpSocket run like probes; sleep waits.
  void run_hook(PodRun& run, ContainerRun& c, const json& hook, milliseconds limit,
                std::function<void(bool, const std::string&)> done) {
    if (hook.contains("sleep")) {
      auto timer = std::make_shared<Timer>(
          io, std::min(limit, scaled(static_cast<double>(api::int_at(hook, "sleep.seconds", 0)))));
      timer->async_wait([timer, done](boost::system::error_code) { done(true, ""); });
      return;
    }
    run_probe(io, hook, probe_target(run, c), std::max(limit, milliseconds(1)),
              [done](bool ok, std::string message) { done(ok, message); });
  }

  void signal(PodRun& run, ContainerRun& c, int sig) {
    if (run.shim && c.pid > 0)
      run.shim->request({{"op", "signal"}, {"name", c.name}, {"signal", sig}});
  }

  // ---- probes ----

  ProbeTarget probe_target(const PodRun& run, const ContainerRun& c) const {
    return ProbeTarget{run.ip, run.sandbox_pid, c.env, c.host_working_dir,
                       c.spec.value("ports", json::array())};
  }

  void start_probes(PodRun& run, ContainerRun& c) {
    c.ready_ok = c.ready_fail = c.live_fail = c.startup_fail = 0;
    if (!c.started)
      schedule_probe(run, c, "startupProbe", true);
    else
      begin_steady_probes(run, c);
  }

  void begin_steady_probes(PodRun& run, ContainerRun& c) {
    if (c.spec.contains("readinessProbe"))
      schedule_probe(run, c, "readinessProbe", true);
    else
      c.ready = true;
    if (c.spec.contains("livenessProbe")) schedule_probe(run, c, "livenessProbe", true);
  }

  std::unique_ptr<Timer>& timer_for(ContainerRun& c, const std::string& kind) {
    if (kind == "readinessProbe") return c.readiness_timer;
    if (kind == "livenessProbe") return c.liveness_timer;
    return c.startup_timer;
  }

  void schedule_probe(PodRun& run, ContainerRun& c, const std::string& kind, bool first) {
    const json& probe = c.spec[kind];
    double delay = first ? probe.value("initialDelaySeconds", 0) : probe.value("periodSeconds", 10);
    auto& timer = timer_for(c, kind);
    timer = std::make_unique<Timer>(io, scaled(delay));
    timer->async_wait([this, key = run.key, name = c.name, kind,
                       run_id = c.run_id](boost::system::error_code ec) {
      if (ec) return;
      auto* c2 = find_container(key, name, run_id);
      if (!c2) return;
      auto& r = *runs[key];
      const json& p = c2->spec[kind];
      run_probe(io, p, probe_target(r, *c2), scaled(p.value("timeoutSeconds", 1)),
                [this, key, name, kind, run_id](bool ok, std::string message) {
                  auto* c3 = find_container(key, name, run_id);
                  if (c3) on_probe_result(*runs[key], *c3, kind, ok, message);
                });
    });
  }

  ContainerRun* find_container(const std::string& key, const std::string& name, uint64_t run_id) {
    auto it = runs.find(key);
    if (it == runs.end() || it->second->terminating) return nullptr;
    auto* c = it->second->container(name);
    return c && c->run_id == run_id && c->state == State::Running ? c : nullptr;
  }

  void on_probe_result(PodRun& run, ContainerRun& c, const std::string& kind, bool ok,
                       const std::string& message) {
    const json& probe = c.spec[kind];
    const int success_threshold = probe.value("successThreshold", 1);
    const int failure_threshold = probe.value("failureThreshold", 3);
    const std::string label = kind == "readinessProbe"  ? "Readiness"
                              : kind == "livenessProbe" ? "Liveness"
                                                        : "Startup";
    if (!ok)
      events.record(run.pod, "Warning", "Unhealthy", label + " probe failed: " + message,
                    "kubelet");
    else if (!message.empty())  // e.g. a redirect to another host, which passes with a warning
      events.record(run.pod, "Warning", "ProbeWarning", label + " probe warning: " + message,
                    "kubelet");
    if (kind == "readinessProbe") {
      if (ok)
        c.ready_fail = 0, ++c.ready_ok;
      else
        c.ready_ok = 0, ++c.ready_fail;
      bool was = c.ready;
      if (ok && c.ready_ok >= success_threshold) c.ready = true;
      if (!ok && c.ready_fail >= failure_threshold) c.ready = false;
      if (was != c.ready) write_status(run);
    } else if (kind == "startupProbe") {
      if (ok) {
        c.started = true;
        write_status(run);
        return begin_steady_probes(run, c);
      }
      if (++c.startup_fail >= failure_threshold)
        return kill_for_restart(run, c,
                                "Container " + c.name + " failed startup probe, will be restarted");
    } else {
      if (ok)
        c.live_fail = 0;
      else if (++c.live_fail >= failure_threshold)
        return kill_for_restart(
            run, c, "Container " + c.name + " failed liveness probe, will be restarted");
    }
    schedule_probe(run, c, kind, false);
  }

  void kill_for_restart(PodRun& run, ContainerRun& c, const std::string& why) {
    events.record(run.pod, "Normal", "Killing", why, "kubelet");
    cancel_timers(c);
    c.ready = false;
    stop_container(run, c, grace_of(run));
    write_status(run);
  }

  double grace_of(const PodRun& run) const {
    return static_cast<double>(api::int_at(run.pod, "spec.terminationGracePeriodSeconds", 30));
  }

  // The kubelet's container stop: the preStop hook (bounded by the grace period), then SIGTERM,
  // then SIGKILL when the grace period runs out.
  void stop_container(PodRun& run, ContainerRun& c, double grace_seconds) {
    const json* hook = api::find_path(c.spec, "lifecycle.preStop");
    auto deadline = std::chrono::steady_clock::now() + scaled(grace_seconds);
    auto kill_later = [this, key = run.key, uid = run.uid, name = c.name, pid = c.pid, deadline] {
      auto timer = std::make_shared<Timer>(io, deadline);
      timer->async_wait([this, key, uid, name, pid, timer](boost::system::error_code ec) {
        auto* run = find_run(key, uid);
        auto* c = run ? run->container(name) : nullptr;
        if (!ec && c && c->pid == pid) signal(*run, *c, SIGKILL);
      });
    };
    if (!hook || c.init || c.pid <= 0) {
      signal(run, c, SIGTERM);
      return kill_later();
    }
    auto term = [this, key = run.key, uid = run.uid, name = c.name, pid = c.pid, kill_later] {
      auto* run = find_run(key, uid);
      auto* c = run ? run->container(name) : nullptr;
      if (!c || c->pid != pid) return;
      signal(*run, *c, SIGTERM);
      kill_later();
    };
    auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    run_hook(run, c, *hook, left,
             [this, key = run.key, uid = run.uid, name = c.name, term](bool ok,
                                                                       const std::string& message) {
               auto* run = find_run(key, uid);
               if (!ok && run)
                 events.record(run->pod, "Warning", "FailedPreStopHook",
                               "PreStopHook failed for container " + name + ": " + message,
                               "kubelet");
               term();
             });
  }

  static void cancel_timers(ContainerRun& c) {
    for (auto* t : {&c.readiness_timer, &c.liveness_timer, &c.startup_timer, &c.restart_timer})
      if (*t) (*t)->cancel(), t->reset();
  }

  // ---- exits and restarts ----

  void on_container_exit(PodRun& run, ContainerRun& c, int code, const std::string& reason,
                         const std::string& finished_at) {
    cancel_timers(c);
    c.pid = 0;
    c.starting = false;
    c.ready = false;
    c.state = State::Terminated;
    c.exit_code = code;
    c.reason = reason.empty() ? (code == 0 ? "Completed" : "Error") : reason;
    c.message.clear();
    c.finished_at = finished_at.empty() ? api::now_rfc3339() : finished_at;
    if (c.started_at.empty()) c.started_at = c.finished_at;
    spdlog::info("pod {}: container {} exited with {}", run.key, c.name, code);
    if (run.terminating) return maybe_finish(run);
    after_exit(run, c, code);
  }

  void after_exit(PodRun& run, ContainerRun& c, int code) {
    auto policy = restart_policy(run);
    if (c.init) {
      if (code == 0) {
        write_status(run);
        return continue_pod(run);
      }
      if (policy == "Never") return complete(run, true);
    } else if (!(policy == "Always" || (policy == "OnFailure" && code != 0))) {
      bool all_done = std::all_of(run.containers.begin(), run.containers.end(),
                                  [](const auto& x) { return x->state == State::Terminated; });
      if (!all_done) return write_status(run);
      bool failed = std::any_of(run.containers.begin(), run.containers.end(),
                                [](const auto& x) { return x->exit_code != 0; });
      return complete(run, failed);
    }
    c.last_state = {{"terminated",
                     {{"exitCode", code},
                      {"reason", c.reason},
                      {"startedAt", c.started_at},
                      {"finishedAt", c.finished_at},
                      {"containerID", "kinda://" + run.uid + "/" + c.name}}}};
    if (!c.message.empty()) c.last_state["terminated"]["message"] = c.message;
    auto ran_for = std::chrono::steady_clock::now() - c.run_began;
    milliseconds delay{0};
    if (c.restart_count > 0 &&
        ran_for < scaled(std::chrono::duration<double>(kBackoffReset).count())) {
      double seconds =
          std::min<double>(kBackoffInitial.count() * std::pow(2.0, c.restart_count - 1),
                           static_cast<double>(kBackoffMax.count()));
      delay = scaled(seconds);
    }
    if (delay.count() > 0) {
      c.state = State::Waiting;
      c.reason = "CrashLoopBackOff";
      c.message = "back-off " + std::to_string(delay.count() / 1000) +
                  "s restarting failed container=" + c.name + " pod=" + run.name + "_" + run.ns +
                  "(" + run.uid + ")";
      events.record(run.pod, "Warning", "BackOff",
                    "Back-off restarting failed container " + c.name + " in pod " + run.name + "_" +
                        run.ns + "(" + run.uid + ")",
                    "kubelet");
    }
    write_status(run);
    c.restart_timer = std::make_unique<Timer>(io, delay);
    c.restart_timer->async_wait(
        [this, key = run.key, uid = run.uid, name = c.name](boost::system::error_code ec) {
          if (ec) return;
          auto* run = find_run(key, uid);
          auto* c = run ? run->container(name) : nullptr;
          if (!c || c->live() || run->terminating) return;
          c->restart_timer.reset();
          ++c->restart_count;
          start_container(*run, *c);
        });
  }

  // Succeeded or Failed: the pod's processes end and the object keeps its final status.
  void complete(PodRun& run, bool failed) {
    run.phase = failed ? "Failed" : "Succeeded";
    run.completed = true;
    write_status(run);
    run.each_container([&](ContainerRun& c) {
      cancel_timers(c);
      if (c.live()) stop_container(run, c, grace_of(run));
    });
    maybe_finish(run);
  }

  // ---- termination ----

  void begin_termination(PodRun& run, double grace_seconds) {
    run.terminating = true;
    run.each_container([&](ContainerRun& c) {
      cancel_timers(c);
      if (c.pid <= 0) return;
      if (!run.for_shutdown)
        events.record(run.pod, "Normal", "Killing", "Stopping container " + c.name, "kubelet");
      stop_container(run, c, grace_seconds);
    });
    maybe_finish(run);
  }

  // Done when every container has exited and then the shim itself (so every process is gone).
  void maybe_finish(PodRun& run) {
    if (run.finished) return;
    bool live = false;
    run.each_container([&](ContainerRun& c) { live = live || c.live(); });
    if (live) return;
    if (run.shim_pid > 0) {
      if (run.shim_ready && run.shim && !run.stop_sent) {
        run.stop_sent = true;
        run.shim->request({{"op", "stop"}, {"graceMs", run.shim_stop_grace.count()}});
      }
      return;  // the shim's exit brings us back
    }
    run.finished = true;
    for (pid_t group : run.exec_groups) ::kill(-group, SIGKILL);
    // Destroy the run outside the callback that got us here.
    asio::post(io, [this, key = run.key, uid = run.uid] {
      auto it = runs.find(key);
      if (it == runs.end() || it->second->uid != uid) return;
      auto run = std::move(it->second);
      runs.erase(it);
      spdlog::info("pod {}: all processes gone", key);
      if (run->on_stopped) return run->on_stopped();
      if (run->completed) return;
      auto slash = key.find('/');
      auto current = objects.store().get("pods", key.substr(0, slash), key.substr(slash + 1));
      if (current && api::uid_of(*current) == run->uid && api::is_terminating(*current))
        finalize_object(*current);
      queue.add(key);
    });
  }

  void finalize_object(const json& pod) {
    std::error_code ec;
    fs::remove_all(opt.paths.pods() / api::namespace_of(pod) / api::name_of(pod), ec);
    fs::remove_all(opt.paths.logs() / api::namespace_of(pod) / api::name_of(pod), ec);
    (void)objects.finalize(pods_resource(), pod);
  }

  // ---- status ----

  void write_status(PodRun& run) {
    if (run.for_shutdown || shutting_down) return;
    auto current = objects.store().get("pods", run.ns, run.name);
    if (!current || api::uid_of(*current) != run.uid) return;
    run.pod = *current;
    json next = *current;
    next["status"] = pod_status(run, current->value("status", json::object()));
    if (next == *current) return;
    auto written = objects.update_status(pods_resource(), next);
    if (!written)
      spdlog::warn("pod {}: status update failed: {}", run.key, written.error().message);
    else
      run.pod = *written;
  }

  // ---- shutdown ----

  void shutdown(std::function<void()> done) {
    shutting_down = true;
    subscription = storage::Subscription{};
    // Pods of one set stop one at a time, highest ordinal first; sets and lone pods in parallel.
    std::map<std::string, std::vector<PodRun*>> chains;
    for (auto& [key, run] : runs) {
      if (run->finished) continue;
      const auto* refs = api::find_path(run->pod, "metadata.ownerReferences");
      std::string owner =
          refs && refs->is_array() && !refs->empty() ? (*refs)[0].value("uid", "") : "";
      chains[owner.empty() ? key : owner].push_back(run.get());
    }
    auto remaining = std::make_shared<size_t>(chains.size());
    auto finish = std::make_shared<std::function<void()>>(std::move(done));
    if (*remaining == 0) return (*finish)();
    for (auto& [owner, list] : chains) {
      std::sort(list.begin(), list.end(), [](PodRun* a, PodRun* b) {
        return a->name.size() != b->name.size() ? a->name.size() > b->name.size()
                                                : a->name > b->name;
      });
      std::vector<std::string> keys;
      for (auto* r : list) keys.push_back(r->key);
      stop_chain(std::move(keys), 0, [remaining, finish] {
        if (--*remaining == 0) (*finish)();
      });
    }
  }

  void stop_chain(std::vector<std::string> keys, size_t index, std::function<void()> done) {
    if (index == keys.size()) return done();
    auto it = runs.find(keys[index]);
    auto next = [this, keys, index, done] { stop_chain(keys, index + 1, done); };
    if (it == runs.end() || it->second->finished) return next();
    PodRun& run = *it->second;
    spdlog::info("pod {}: stopping for shutdown", run.key);
    run.for_shutdown = true;
    run.on_stopped = next;
    if (!run.terminating)
      begin_termination(run, grace_of(run));
    else
      maybe_finish(run);
  }

  // ---- a lost node ----

  size_t fail_node(const std::string& node) {
    size_t removed = 0;
    for (const auto& pod : objects.store().list("pods")) {
      if (api::string_at(pod, "spec.nodeName") != node) continue;
      auto key = api::namespace_of(pod) + "/" + api::name_of(pod);
      if (auto* run = find_run(key, api::uid_of(pod))) {
        power_off(*run);
        (void)objects.finalize(pods_resource(), pod);  // its directories go once it is dead
      } else {
        finalize_object(pod);
      }
      spdlog::warn("pod {}: removed with its lost node {}", key, node);
      ++removed;
    }
    return removed;
  }

  // Every process of the pod dies at once by SIGKILL, straight from here rather than through a
  // stop, so nothing in the pod gets to react; the shim (told to stop without grace) then reaps
  // them and whatever they left behind. A pod of the same name starts once this run is gone.
  void power_off(PodRun& run) {
    run.terminating = true;
    run.for_shutdown = true;  // no status to write: the object is about to go
    run.shim_stop_grace = milliseconds(0);
    run.on_stopped = [this, key = run.key] {
      auto slash = key.find('/');
      std::error_code ec;
      fs::remove_all(opt.paths.pods() / key.substr(0, slash) / key.substr(slash + 1), ec);
      fs::remove_all(opt.paths.logs() / key.substr(0, slash) / key.substr(slash + 1), ec);
      queue.add(key);
    };
    run.each_container([&](ContainerRun& c) {
      cancel_timers(c);
      if (c.pid > 0) runtime::signal_group(c.pid, SIGKILL);
    });
    if (run.shim && run.shim_ready && !run.stop_sent) {
      run.stop_sent = true;
      run.shim->request({{"op", "stop"}, {"graceMs", 0}});
    }
    maybe_finish(run);
  }

  // ---- exec ----

  apiserver::Reply exec(const std::string& ns, const std::string& name,
                        const apiserver::Request& request) {
    auto refuse = [](const Error& e) {
      return apiserver::Reply{apiserver::Response::error(e), nullptr};
    };
    // The pod first, as the API server looks it up before the options: a missing one is a 404.
    auto pod = objects.store().get("pods", ns, name);
    if (!pod) return refuse(pod.error());
    auto options = exec_options_of(request);
    if (!options) return refuse(options.error());
    auto container = requested_container(*pod, options->container);
    if (!container) return refuse(container.error());
    options->container = *container;
    if (auto named = check_container_named(*pod, options->container); !named)
      return refuse(named.error());
    auto it = runs.find(ns + "/" + name);
    ContainerRun* c = nullptr;
    if (it != runs.end() && it->second->uid == api::uid_of(*pod))
      c = it->second->container(options->container);
    if (!c || c->pid <= 0)
      return refuse(Error::bad_request("unable to upgrade connection: container not found (\"" +
                                       options->container + "\")"));
    auto protocol = exec_protocol_of(request);
    if (!protocol) return refuse(protocol.error());
    const PodRun& run = *it->second;
    runtime::ProcessSpec spec;
    spec.argv = options->command;
    spec.env = c->env;
    spec.join_namespaces_of = run.sandbox_pid;
    spec.working_dir =
        run.sandbox_pid ? c->spec.value("workingDir", std::string("/")) : c->host_working_dir;
    spdlog::info("pod {}/{}: exec in {}: {}", ns, name, options->container, spec.argv[0]);
    auto started = [this, key = run.key, uid = run.uid](pid_t group) {
      if (auto found = runs.find(key); found != runs.end() && found->second->uid == uid)
        found->second->exec_groups.push_back(group);
    };
    return exec_reply(io, std::move(spec), *options, *protocol, started);
  }

  // ---- logs ----

  apiserver::Reply logs(const api::PodLogRequest& request) {
    auto pod = objects.store().get("pods", request.ns, request.pod);
    if (!pod) return apiserver::Reply{apiserver::Response::error(pod.error()), nullptr};
    auto requested = requested_container(*pod, request.container);
    if (!requested) return apiserver::Reply{apiserver::Response::error(requested.error()), nullptr};
    const std::string container = *requested;
    int restart = -1;
    auto key = request.ns + "/" + request.pod;
    if (auto it = runs.find(key); it != runs.end())
      if (auto* c = it->second->container(container)) restart = c->restart_count;
    if (restart < 0) {
      if (auto named = check_container_named(*pod, container); !named)
        return apiserver::Reply{apiserver::Response::error(named.error()), nullptr};
      restart = previous_restart_count(*pod, container);
    }
    if (request.previous) {
      if (restart == 0)
        return apiserver::Reply{apiserver::Response::error(Error::bad_request(
                                    "previous terminated container \"" + container +
                                    "\" in pod \"" + request.pod + "\" not found")),
                                nullptr};
      --restart;
    }
    auto file = opt.paths.logs() / request.ns / request.pod / container /
                (std::to_string(restart) + ".log");
    // A follower reads on while this container run may still write: until it has exited, or
    // (the pod stopping) until the shim is gone, which drains every pipe as it exits. So `logs -f`
    // shows what a container prints after its SIGTERM.
    auto still_writing = [this, key, container, restart, uid = api::uid_of(*pod)] {
      auto it = runs.find(key);
      if (it == runs.end() || it->second->uid != uid) return false;
      auto* c = it->second->container(container);
      return c && c->restart_count == restart && (c->live() || it->second->terminating);
    };
    return log_reply(io, file, request.tail_lines, request.follow && !request.previous,
                     still_writing);
  }
};

PodManager::PodManager(asio::io_context& io, apiserver::ObjectService& objects,
                       client::EventRecorder& events, PodManagerOptions options)
    : impl_(std::make_unique<Impl>(io, objects, events, std::move(options))) {}

PodManager::~PodManager() = default;

void PodManager::start() {
  impl_->start();
}

void PodManager::shutdown(std::function<void()> done) {
  impl_->shutdown(std::move(done));
}

size_t PodManager::fail_node(const std::string& node) {
  return impl_->fail_node(node);
}

apiserver::Reply PodManager::exec(const std::string& ns, const std::string& pod,
                                  const apiserver::Request& request) {
  return impl_->exec(ns, pod, request);
}

apiserver::Reply PodManager::logs(const api::PodLogRequest& request) {
  return impl_->logs(request);
}

size_t PodManager::running_pods() const {
  return impl_->runs.size();
}

}  // namespace kinda::kubelet
