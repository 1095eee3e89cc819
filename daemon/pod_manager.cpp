#include "daemon/pod_manager.hpp"

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include "api/object.hpp"
#include "api/timestamps.hpp"
#include "daemon/container_launch.hpp"
#include "daemon/log_stream.hpp"
#include "daemon/probes.hpp"
#include "daemon/process_scan.hpp"
#include "runtime/exit_watcher.hpp"
#include "runtime/process.hpp"
#include "runtime/process_identity.hpp"
#include "runtime/sandbox.hpp"
#include "runtime/sandbox_spec.hpp"

namespace kinda::daemon {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using nlohmann::json;
using Timer = asio::steady_timer;
using std::chrono::milliseconds;

const api::ResourceInfo& pods_resource() {
  return *api::find_resource("pods");
}

// The kubelet's container restart back-off: 10 s doubling to 5 min.
constexpr auto kBackoffInitial = std::chrono::seconds(10);
constexpr auto kBackoffMax = std::chrono::seconds(300);
// A container that ran this long without crashing starts its back-off afresh.
constexpr auto kBackoffReset = std::chrono::minutes(10);

enum class State { Waiting, Running, Terminated };

struct ContainerRun {
  std::string name;
  json spec;
  int restart_count = 0;
  pid_t pid = 0;
  std::unique_ptr<runtime::ExitWatcher> watcher;
  State state = State::Waiting;
  std::string reason = "ContainerCreating", message;
  int exit_code = 0;
  std::string started_at, finished_at;
  json last_state = json::object();
  bool ready = false;
  bool started = false;  // startup probe passed (or none)
  bool ever_ran = false;
  std::vector<std::string> env;
  std::string host_working_dir;
  std::chrono::steady_clock::time_point run_began;
  uint64_t run_id = 0;  // bumps per run, so late probe results of an old run are dropped
  std::unique_ptr<Timer> readiness_timer, liveness_timer, startup_timer, restart_timer;
  int ready_ok = 0, ready_fail = 0, live_fail = 0, startup_fail = 0;
};

struct PodRun {
  std::string key, uid, ns, name;
  json pod;
  std::string ip;
  fs::path dir;
  pid_t sandbox_pid = 0;
  std::unique_ptr<runtime::ExitWatcher> sandbox_watcher;
  std::vector<std::unique_ptr<ContainerRun>> containers;
  std::vector<std::pair<std::string, std::string>> volume_env;
  std::vector<runtime::BindMount> mounts;
  std::string start_time;
  std::string phase = "Pending";
  bool terminating = false;
  bool for_shutdown = false;
  bool finished = false;
  std::unique_ptr<Timer> kill_timer;
  std::function<void()> on_stopped;
  std::map<std::string, std::pair<std::string, std::string>> conditions;  // type → (status, time)
};

std::string restart_policy(const PodRun& run) {
  return api::string_at(run.pod, "spec.restartPolicy", "Always");
}

bool is_live(const ContainerRun& c) {
  return c.pid > 0;
}

std::string upper_env_name(std::string name) {
  for (auto& ch : name) ch = ch == '-' || ch == '.' ? '_' : static_cast<char>(std::toupper(ch));
  return name;
}

}  // namespace

struct PodManager::Impl {
  Impl(asio::io_context& io_, ObjectService& objects_, EventRecorder& events_, PodManagerOptions o)
      : io(io_),
        objects(objects_),
        events(events_),
        opt(std::move(o)),
        queue(io_, [this](const std::string& key) { sync(key); }) {}

  asio::io_context& io;
  ObjectService& objects;
  EventRecorder& events;
  PodManagerOptions opt;
  WorkQueue queue;
  storage::Subscription subscription;
  std::map<std::string, std::unique_ptr<PodRun>> runs;
  bool shutting_down = false;

  milliseconds scaled(double seconds) const {
    return milliseconds(
        static_cast<long long>(std::llround(seconds * 1000.0 * opt.config.time_scale)));
  }

  // ---- start-up: adoption of what a previous daemon left running ----

  void start() {
    auto found = scan_cluster_processes(opt.paths.root.string());
    for (auto& [key, f] : found) {
      auto slash = key.find('/');
      auto pod = objects.store().get("pods", key.substr(0, slash), key.substr(slash + 1));
      bool keep = pod && !f.uid.empty() && api::uid_of(*pod) == f.uid &&
                  api::pod_phase(*pod) != "Succeeded" && api::pod_phase(*pod) != "Failed";
      if (pod && f.uid.empty() && f.sandbox_pid)
        keep = false;  // a holder whose containers all died
      if (!keep) {
        spdlog::warn("ending stray processes of {} left by an earlier daemon", key);
        for (auto& [name, pid] : f.containers) runtime::signal_group(pid, SIGKILL);
        if (f.sandbox_pid) ::kill(f.sandbox_pid, SIGKILL);
        continue;
      }
      adopt(*pod, f);
    }
    subscription = objects.store().subscribe([this](const storage::WatchEvent& e) { on_event(e); });
    for (const auto& pod : objects.store().list("pods"))
      queue.add(api::namespace_of(pod) + "/" + api::name_of(pod));
  }

  void adopt(const json& pod, const FoundPod& f) {
    auto run = new_run(pod);
    run->ip = api::string_at(pod, "status.podIP");
    run->start_time = api::string_at(pod, "status.startTime", api::now_rfc3339());
    run->sandbox_pid = f.sandbox_pid;
    if (run->sandbox_pid) watch_sandbox(*run);
    spdlog::info("pod {}: re-adopted (sandbox pid {}, {} containers)", run->key, f.sandbox_pid,
                 f.containers.size());
    prepare_volumes(*run);
    auto* raw = run.get();
    runs[run->key] = std::move(run);
    for (auto& c : raw->containers) {
      auto it = f.containers.find(c->name);
      if (it == f.containers.end()) {
        // Died while no daemon watched it: restart as after any exit.
        c->ever_ran = true;
        on_container_exit(*raw, *c, std::nullopt);
        continue;
      }
      c->pid = it->second;
      c->state = State::Running;
      c->ever_ran = true;
      c->started_at = find_started_at(pod, c->name);
      c->run_began = std::chrono::steady_clock::now();
      auto launch = launch_for(*raw, *c);
      if (auto* l = std::get_if<ContainerLaunch>(&launch)) c->env = l->env;
      watch_container(*raw, *c);
      start_probes(*raw, *c);
    }
    raw->phase = "Running";
    write_status(*raw);
  }

  static std::string find_started_at(const json& pod, const std::string& container) {
    const auto* statuses = api::find_path(pod, "status.containerStatuses");
    if (statuses && statuses->is_array())
      for (const auto& s : *statuses)
        if (s.value("name", "") == container)
          return api::string_at(s, "state.running.startedAt", api::now_rfc3339());
    return api::now_rfc3339();
  }

  static int previous_restart_count(const json& pod, const std::string& container) {
    const auto* statuses = api::find_path(pod, "status.containerStatuses");
    if (statuses && statuses->is_array())
      for (const auto& s : *statuses)
        if (s.value("name", "") == container) return s.value("restartCount", 0);
    return 0;
  }

  // ---- reacting to the store ----

  void on_event(const storage::WatchEvent& e) {
    if (e.resource == "pods") {
      queue.add(api::namespace_of(e.object) + "/" + api::name_of(e.object));
    } else if (e.resource == "persistentvolumeclaims") {
      // A claim bound late unblocks pods waiting for it.
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
    auto phase = api::pod_phase(*found);
    if (phase == "Succeeded" || phase == "Failed") return;
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
    for (const auto& spec : pod["spec"].value("containers", json::array())) {
      auto c = std::make_unique<ContainerRun>();
      c->name = spec.value("name", "");
      c->spec = spec;
      c->restart_count = previous_restart_count(pod, c->name);
      c->started = !spec.contains("startupProbe");
      run->containers.push_back(std::move(c));
    }
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
    std::set<std::string> used;
    for (const auto& [key, run] : runs) used.insert(run->ip);
    for (const auto& other : objects.store().list("pods"))
      if (api::uid_of(other) != api::uid_of(pod))
        used.insert(api::string_at(other, "status.podIP"));
    auto previous = api::string_at(pod, "status.podIP");
    if (!previous.empty() && !used.count(previous)) return previous;
    const std::string prefix = "127." + std::to_string(opt.config.pod_octet) + ".";
    for (int third = 0; third < 255; ++third)
      for (int fourth = (third == 0 ? 2 : 1); fourth < 255; ++fourth) {
        auto ip = prefix + std::to_string(third) + "." + std::to_string(fourth);
        if (!used.count(ip)) return ip;
      }
    return "";
  }

  void write_pod_files(const PodRun& run) {
    const auto& domain = opt.config.domain;
    std::ofstream resolv(run.dir / "resolv.conf", std::ios::trunc);
    resolv << "search " << run.ns << ".svc." << domain << " svc." << domain << " " << domain << "\n"
           << "nameserver " << opt.config.dns_ip() << "\n"
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
    ctx.config = &opt.config;
    ctx.config_path = opt.paths.config().string();
    ctx.pod_ip = run.ip;
    const char* path = std::getenv("PATH");
    ctx.host_path = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    ctx.base_env = {{"KINDA_CLUSTER_ROOT", opt.paths.root.string()},
                    {"KINDA_POD", run.key},
                    {"KINDA_POD_UID", run.uid},
                    {"KINDA_CONTAINER", c.name}};
    if (opt.isolation == runtime::Isolation::None)
      ctx.base_env.insert(ctx.base_env.end(), run.volume_env.begin(), run.volume_env.end());
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

  void start_pod(const json& pod) {
    auto run = new_run(pod);
    std::error_code ec;
    fs::create_directories(run->dir, ec);
    if (auto problem = prepare_volumes(*run); !problem.empty()) {
      json fresh = pod;
      if (api::string_at(pod, "status.conditions.0.message") != problem) {
        events.record(pod, "Warning", "FailedScheduling", problem, "kinda-scheduler");
        fresh["status"]["conditions"] = {{{"type", "PodScheduled"},
                                          {"status", "False"},
                                          {"reason", "Unschedulable"},
                                          {"message", problem},
                                          {"lastTransitionTime", api::now_rfc3339()}}};
        (void)objects.update_status(pods_resource(), fresh);
      }
      return;
    }
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
      bound["spec"]["nodeName"] = opt.node_name;
      if (auto written = objects.store().update("pods", bound)) run->pod = *written;
      events.record(run->pod, "Normal", "Scheduled",
                    "Successfully assigned " + run->key + " to " + opt.node_name,
                    "default-scheduler");
    }

    if (opt.isolation == runtime::Isolation::Namespaces) {
      runtime::SandboxSpec spec;
      spec.hostname = api::string_at(run->pod, "spec.hostname", run->name);
      spec.dir = run->dir.string();
      spec.resolv_conf = (run->dir / "resolv.conf").string();
      spec.hosts = (run->dir / "hosts").string();
      spec.mounts = run->mounts;
      // Like Docker creating an image's WORKDIR: a working directory that exists neither on the
      // host nor in a volume gets an empty directory of the pod's own.
      for (auto& c : run->containers) {
        auto launch = launch_for(*run, *c);
        auto* l = std::get_if<ContainerLaunch>(&launch);
        if (!l || l->working_dir.empty() || fs::is_directory(l->working_dir, ec)) continue;
        bool covered = std::any_of(spec.mounts.begin(), spec.mounts.end(), [&](const auto& m) {
          return l->working_dir == m.target || l->working_dir.rfind(m.target + "/", 0) == 0;
        });
        if (covered) continue;
        auto dir = run->dir / "workdirs" / c->name;
        fs::create_directories(dir, ec);
        spec.mounts.push_back({dir.string(), l->working_dir, false});
      }
      auto sandbox = runtime::start_sandbox(spec, opt.self_exe);
      if (!sandbox) {
        events.record(run->pod, "Warning", "FailedCreatePodSandBox",
                      "Failed to create pod sandbox: " + sandbox.error().message, "kubelet");
        for (auto& c : run->containers) c->message = sandbox.error().message;
        write_status(*run);
        return;
      }
      run->sandbox_pid = *sandbox;
      watch_sandbox(*run);
    }
    auto* raw = run.get();
    runs[run->key] = std::move(run);
    spdlog::info("pod {}: starting at {}", raw->key, raw->ip);
    write_status(*raw);
    for (auto& c : raw->containers) start_container(*raw, *c);
  }

  void watch_sandbox(PodRun& run) {
    run.sandbox_watcher = std::make_unique<runtime::ExitWatcher>(
        io, run.sandbox_pid, [this, key = run.key](std::optional<int>) {
          auto it = runs.find(key);
          if (it == runs.end()) return;
          PodRun& r = *it->second;
          r.sandbox_pid = 0;
          if (!r.terminating) {
            // Without its namespaces the pod cannot go on; stop it and start it afresh.
            spdlog::warn("pod {}: sandbox ended unexpectedly; restarting the pod", key);
            events.record(r.pod, "Normal", "SandboxChanged",
                          "Pod sandbox changed, it will be killed and re-created.", "kubelet");
            r.for_shutdown = true;
            r.on_stopped = [this, key] { queue.add(key); };
            begin_termination(r, 0);
            return;
          }
          maybe_finish(r);
        });
  }

  void start_container(PodRun& run, ContainerRun& c) {
    if (run.terminating || shutting_down) return;
    auto launch = launch_for(run, c);
    if (auto* problem = std::get_if<LaunchProblem>(&launch)) {
      if (c.reason != problem->reason)
        events.record(run.pod, "Warning", "Failed", "Error: " + problem->message, "kubelet");
      c.state = State::Waiting;
      c.reason = problem->reason;
      c.message = problem->message;
      write_status(run);
      return;
    }
    auto& l = std::get<ContainerLaunch>(launch);
    fs::path log_dir = opt.paths.logs() / run.ns / run.name / c.name;
    std::error_code ec;
    fs::create_directories(log_dir, ec);
    runtime::ProcessSpec spec;
    spec.argv = l.argv;
    spec.env = l.env;
    spec.log_path = (log_dir / (std::to_string(c.restart_count) + ".log")).string();
    if (opt.isolation == runtime::Isolation::Namespaces) {
      spec.join_namespaces_of = run.sandbox_pid;
      spec.working_dir = l.working_dir;
    } else {
      spec.working_dir = host_dir_for(run, l.working_dir);
    }
    c.env = l.env;
    c.host_working_dir = spec.working_dir;
    auto pid = runtime::spawn(spec);
    if (!pid) {
      events.record(run.pod, "Warning", "Failed", "Error: " + pid.error().message, "kubelet");
      c.state = State::Terminated;
      c.reason = "StartError";
      c.message = pid.error().message;
      c.exit_code = 128;
      c.finished_at = api::now_rfc3339();
      c.ever_ran = true;
      return after_exit(run, c, 128);
    }
    c.pid = *pid;
    c.state = State::Running;
    c.reason.clear();
    c.message.clear();
    c.started_at = api::now_rfc3339();
    c.ever_ran = true;
    c.ready = false;
    c.run_began = std::chrono::steady_clock::now();
    ++c.run_id;
    run.phase = "Running";
    spdlog::info("pod {}: container {} started (pid {})", run.key, c.name, c.pid);
    events.record(run.pod, "Normal", "Created", "Created container " + c.name, "kubelet");
    events.record(run.pod, "Normal", "Started", "Started container " + c.name, "kubelet");
    watch_container(run, c);
    start_probes(run, c);
    write_status(run);
  }

  void watch_container(PodRun& run, ContainerRun& c) {
    c.watcher = std::make_unique<runtime::ExitWatcher>(
        io, c.pid, [this, key = run.key, name = c.name, pid = c.pid](std::optional<int> status) {
          auto it = runs.find(key);
          if (it == runs.end()) return;
          for (auto& container : it->second->containers)
            if (container->name == name && container->pid == pid)
              return on_container_exit(*it->second, *container, status);
        });
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
    for (auto& c : it->second->containers)
      if (c->name == name && c->run_id == run_id && c->state == State::Running) return c.get();
    return nullptr;
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
    runtime::signal_group(c.pid, SIGTERM);
    auto grace =
        scaled(static_cast<double>(api::int_at(run.pod, "spec.terminationGracePeriodSeconds", 30)));
    c.restart_timer = std::make_unique<Timer>(io, grace);
    c.restart_timer->async_wait([pid = c.pid](boost::system::error_code ec) {
      if (!ec) runtime::signal_group(pid, SIGKILL);
    });
    write_status(run);
  }

  static void cancel_timers(ContainerRun& c) {
    for (auto* t : {&c.readiness_timer, &c.liveness_timer, &c.startup_timer, &c.restart_timer})
      if (*t) (*t)->cancel(), t->reset();
  }

  // ---- exits and restarts ----

  void on_container_exit(PodRun& run, ContainerRun& c, std::optional<int> wait_status) {
    int code = wait_status ? runtime::exit_code_from_wait_status(*wait_status) : 137;
    cancel_timers(c);
    c.pid = 0;
    c.ready = false;
    c.state = State::Terminated;
    c.exit_code = code;
    c.reason = wait_status ? (code == 0 ? "Completed" : "Error") : "Unknown";
    c.message = wait_status ? "" : "the container ended while no kinda daemon was watching it";
    c.finished_at = api::now_rfc3339();
    if (c.started_at.empty()) c.started_at = c.finished_at;
    spdlog::info("pod {}: container {} exited with {}", run.key, c.name, code);
    if (run.terminating) return maybe_finish(run);
    after_exit(run, c, code);
  }

  void after_exit(PodRun& run, ContainerRun& c, int code) {
    auto policy = restart_policy(run);
    bool restart = policy == "Always" || (policy == "OnFailure" && code != 0);
    if (!restart) {
      bool all_done = std::all_of(run.containers.begin(), run.containers.end(),
                                  [](const auto& x) { return x->state == State::Terminated; });
      if (all_done) {
        bool failed = std::any_of(run.containers.begin(), run.containers.end(),
                                  [](const auto& x) { return x->exit_code != 0; });
        run.phase = failed ? "Failed" : "Succeeded";
        if (run.sandbox_pid) ::kill(run.sandbox_pid, SIGTERM);
      }
      write_status(run);
      return;
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
    c.restart_timer->async_wait([this, key = run.key, name = c.name](boost::system::error_code ec) {
      if (ec) return;
      auto it = runs.find(key);
      if (it == runs.end() || it->second->terminating) return;
      for (auto& container : it->second->containers)
        if (container->name == name && container->pid == 0) {
          ++container->restart_count;
          start_container(*it->second, *container);
        }
    });
  }

  // ---- termination ----

  void begin_termination(PodRun& run, long long grace_seconds) {
    run.terminating = true;
    for (auto& c : run.containers) {
      cancel_timers(*c);
      if (!is_live(*c)) continue;
      if (!run.for_shutdown)
        events.record(run.pod, "Normal", "Killing", "Stopping container " + c->name, "kubelet");
      runtime::signal_group(c->pid, SIGTERM);
    }
    run.kill_timer = std::make_unique<Timer>(io, scaled(static_cast<double>(grace_seconds)));
    run.kill_timer->async_wait([this, key = run.key](boost::system::error_code ec) {
      if (ec) return;
      auto it = runs.find(key);
      if (it == runs.end()) return;
      for (auto& c : it->second->containers)
        if (is_live(*c)) runtime::signal_group(c->pid, SIGKILL);
    });
    maybe_finish(run);
  }

  void maybe_finish(PodRun& run) {
    if (run.finished) return;
    for (auto& c : run.containers)
      if (is_live(*c)) return;
    if (run.sandbox_pid) {
      ::kill(run.sandbox_pid, SIGTERM);  // its watcher brings us back here
      return;
    }
    run.finished = true;
    if (run.kill_timer) run.kill_timer->cancel();
    // Destroy the run outside the watcher callback that got us here.
    asio::post(io, [this, key = run.key] {
      auto it = runs.find(key);
      if (it == runs.end()) return;
      auto run = std::move(it->second);
      runs.erase(it);
      spdlog::info("pod {}: all processes gone", key);
      if (run->on_stopped) return run->on_stopped();
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

  void set_condition(PodRun& run, json& list, const std::string& type, bool value,
                     const std::string& reason = "") {
    std::string status = value ? "True" : "False";
    auto& known = run.conditions[type];
    if (known.first != status) known = {status, api::now_rfc3339()};
    json c = {{"type", type},
              {"status", status},
              {"lastProbeTime", nullptr},
              {"lastTransitionTime", known.second}};
    if (!value && !reason.empty()) c["reason"] = reason;
    list.push_back(c);
  }

  void write_status(PodRun& run) {
    if (run.for_shutdown || shutting_down) return;
    auto current = objects.store().get("pods", run.ns, run.name);
    if (!current || api::uid_of(*current) != run.uid) return;
    run.pod = *current;
    if (run.conditions.empty()) {
      const auto* existing = api::find_path(*current, "status.conditions");
      if (existing && existing->is_array())
        for (const auto& c : *existing)
          run.conditions[c.value("type", "")] = {c.value("status", ""),
                                                 c.value("lastTransitionTime", "")};
    }
    json statuses = json::array();
    bool all_ready = !run.containers.empty();
    for (auto& c : run.containers) {
      json state;
      if (c->state == State::Running) {
        state = {{"running", {{"startedAt", c->started_at}}}};
      } else if (c->state == State::Waiting) {
        state = {{"waiting", {{"reason", c->reason}}}};
        if (!c->message.empty()) state["waiting"]["message"] = c->message;
      } else {
        state = {{"terminated",
                  {{"exitCode", c->exit_code},
                   {"reason", c->reason},
                   {"startedAt", c->started_at},
                   {"finishedAt", c->finished_at}}}};
      }
      bool ready = c->state == State::Running && c->ready && c->started;
      all_ready = all_ready && ready;
      json s = {{"name", c->name},
                {"state", state},
                {"lastState", c->last_state},
                {"ready", ready},
                {"restartCount", c->restart_count},
                {"image", c->spec.value("image", "")},
                {"imageID", ""},
                {"started", c->state == State::Running && c->started}};
      if (c->pid) s["containerID"] = "kinda://" + std::to_string(c->pid);
      statuses.push_back(s);
    }
    json conditions = json::array();
    set_condition(run, conditions, "PodReadyToStartContainers", true);
    set_condition(run, conditions, "Initialized", true);
    set_condition(run, conditions, "Ready", all_ready && !run.terminating, "ContainersNotReady");
    set_condition(run, conditions, "ContainersReady", all_ready, "ContainersNotReady");
    set_condition(run, conditions, "PodScheduled", true);
    json next = *current;
    auto& st = next["status"];
    st["phase"] = run.phase;
    st["conditions"] = conditions;
    st["hostIP"] = "127.0.0.1";
    st["hostIPs"] = {{{"ip", "127.0.0.1"}}};
    st["podIP"] = run.ip;
    st["podIPs"] = {{{"ip", run.ip}}};
    st["startTime"] = run.start_time;
    st["containerStatuses"] = statuses;
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
      begin_termination(run, api::int_at(run.pod, "spec.terminationGracePeriodSeconds", 30));
  }

  // ---- logs ----

  Reply logs(const LogRequest& request) {
    auto pod = objects.store().get("pods", request.ns, request.pod);
    if (!pod) return Reply{Response::error(pod.error()), nullptr};
    auto containers = (*pod)["spec"].value("containers", json::array());
    std::string container = request.container;
    if (container.empty()) {
      if (containers.size() != 1) {
        std::string names;
        for (const auto& c : containers) names += (names.empty() ? "" : " ") + c.value("name", "");
        return Reply{
            Response::error(Error::bad_request("a container name must be specified for pod " +
                                               request.pod + ", choose one of: [" + names + "]")),
            nullptr};
      }
      container = containers[0].value("name", "");
    }
    int restart = -1;
    auto key = request.ns + "/" + request.pod;
    if (auto it = runs.find(key); it != runs.end())
      for (auto& c : it->second->containers)
        if (c->name == container) restart = c->restart_count;
    if (restart < 0) {
      bool known = std::any_of(containers.begin(), containers.end(),
                               [&](const json& c) { return c.value("name", "") == container; });
      if (!known)
        return Reply{Response::error(Error::bad_request("container " + container +
                                                        " is not valid for pod " + request.pod)),
                     nullptr};
      restart = previous_restart_count(*pod, container);
    }
    if (request.previous) {
      if (restart == 0)
        return Reply{
            Response::error(Error::bad_request("previous terminated container \"" + container +
                                               "\" in pod \"" + request.pod + "\" not found")),
            nullptr};
      --restart;
    }
    auto file = opt.paths.logs() / request.ns / request.pod / container /
                (std::to_string(restart) + ".log");
    auto still_writing = [this, key, container, restart, uid = api::uid_of(*pod)] {
      auto it = runs.find(key);
      if (it == runs.end() || it->second->uid != uid || it->second->terminating) return false;
      for (auto& c : it->second->containers)
        if (c->name == container) return c->restart_count == restart;
      return false;
    };
    return log_reply(io, file, request.tail_lines, request.follow && !request.previous,
                     still_writing);
  }
};

PodManager::PodManager(asio::io_context& io, ObjectService& objects, EventRecorder& events,
                       PodManagerOptions options)
    : impl_(std::make_unique<Impl>(io, objects, events, std::move(options))) {}

PodManager::~PodManager() = default;

void PodManager::start() {
  impl_->start();
}

void PodManager::shutdown(std::function<void()> done) {
  impl_->shutdown(std::move(done));
}

Reply PodManager::logs(const LogRequest& request) {
  return impl_->logs(request);
}

size_t PodManager::running_pods() const {
  return impl_->runs.size();
}

}  // namespace kinda::daemon
